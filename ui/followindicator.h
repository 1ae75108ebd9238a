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

    // The logs followed; none hides it.
    void setPaths(const QStringList &paths);
};

} // namespace mailtrail
