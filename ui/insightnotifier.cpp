// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightnotifier.h"

#include "insightmodel.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QVariantMap>

#ifdef MAILTRAIL_HAVE_KNOTIFICATIONS
#include <KNotification>
#endif

using namespace Qt::StringLiterals;

namespace mailtrail {

namespace {
// A burst of insights at once is a few notifications, not a screenful.
constexpr int MaxPerBatch = 3;
}

InsightNotifier::InsightNotifier(InsightModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
}

void InsightNotifier::notify(int first, int last)
{
    if (!m_enabled)
        return;
    int sent = 0;
    for (int row = first; row <= last && row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const QString key = u"%1 %2 %3"_s.arg(index.data(InsightModel::KindRole).toInt())
                                .arg(m_model->index(row, InsightModel::Subject).data().toString())
                                .arg(index.data(InsightModel::TimeMsRole).toLongLong());
        if (m_seen.contains(key))
            continue;
        m_seen.insert(key);
        if (sent++ >= MaxPerBatch)
            continue;
        ++m_notified;
        QDBusConnection bus = QDBusConnection::sessionBus();
        if (!bus.isConnected())
            continue;
        const bool critical = index.data(InsightModel::SeverityRole).toInt() != 0;
        const QString summary = m_model->index(row, InsightModel::Kind).data().toString() + u": "_s +
                                m_model->index(row, InsightModel::Subject).data().toString();
#ifdef MAILTRAIL_HAVE_KNOTIFICATIONS
        // The event of packaging/mailtrail.notifyrc: the desktop's settings for it apply. It deletes
        // itself once shown and closed.
        auto *n = new KNotification(u"insight"_s, KNotification::CloseOnTimeout);
        n->setComponentName(u"mailtrail"_s);
        n->setTitle(summary);
        n->setText(m_model->index(row, InsightModel::Numbers).data().toString());
        n->setUrgency(critical ? KNotification::CriticalUrgency : KNotification::NormalUrgency);
        n->sendEvent();
        continue;
#endif
        QDBusMessage call = QDBusMessage::createMethodCall(u"org.freedesktop.Notifications"_s, u"/org/freedesktop/Notifications"_s,
                                                           u"org.freedesktop.Notifications"_s, u"Notify"_s);
        const QVariantMap hints{{u"urgency"_s, QVariant::fromValue<uchar>(critical ? 2 : 1)},
                                {u"desktop-entry"_s, u"org.mailtrail.Mailtrail"_s}};
        call << u"Mailtrail"_s << 0u << u"org.mailtrail.Mailtrail"_s << summary
             << m_model->index(row, InsightModel::Numbers).data().toString() << QStringList() << hints << -1;
        // Not waited for: a service that is slow or missing must not hold the window up.
        bus.send(call);
    }
}

} // namespace mailtrail
