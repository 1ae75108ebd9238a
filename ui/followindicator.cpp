// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "followindicator.h"

#include "logwords.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace mailtrail {

FollowIndicator::FollowIndicator(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(u"followIndicator"_s);
    setContentsMargins(6, 0, 6, 0);
    setVisible(false);
}

void FollowIndicator::setPaths(const QStringList &paths, const QStringList &notFollowed, const QStringList &copies)
{
    setVisible(!paths.isEmpty());
    if (paths.isEmpty()) {
        clear();
        setToolTip({});
        return;
    }
    // The same words in light and dark palettes: the highlight colour is the palette's own.
    const QString dot = u"<span style=\"color:%1\">●</span> "_s.arg(palette().color(QPalette::Highlight).name());
    const QString what = paths.size() == 1 ? QFileInfo(paths.first()).fileName() : tr("%L1 logs").arg(paths.size());
    setText(dot + tr("Following %1").arg(what.toHtmlEscaped()));
    QString tip = tr("Lines written to %1 are imported as they come (View › Follow turns it off):").arg(LogWords::these(paths.size())) + u'\n' +
                  paths.join(u'\n');
    if (!copies.isEmpty())
        tip += u"\n\n"_s + tr("Watched too, read once as the same content as another log:") + u'\n' + copies.join(u'\n');
    if (!notFollowed.isEmpty())
        tip += u"\n\n"_s + tr("Not followed: compressed, finished files that never grow:") + u'\n' + notFollowed.join(u'\n');
    setToolTip(tip);
}

} // namespace mailtrail
