// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>
#include <QStringList>

namespace mailtrail {

// The status bar's word that Follow is on, and what it follows: "● Following mail.log" (the
// files in full in the tooltip). Hidden when nothing is followed: a window that imports new
// lines on its own must say so, or rows appear from nowhere.
class FollowIndicator : public QLabel
{
    Q_OBJECT
public:
    explicit FollowIndicator(QWidget *parent = nullptr);

    // The logs followed, counted as they are ("Following 6 logs"); none hides it. `notFollowed`:
    // the other logs open (compressed ones, which never grow), named in the tooltip as such.
    // `copies`: logs watched too, whose lines are read from one of `paths` (same content), named
    // in the tooltip and not counted.
    void setPaths(const QStringList &paths, const QStringList &notFollowed = {}, const QStringList &copies = {});
};

} // namespace mailtrail
