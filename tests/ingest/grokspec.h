// SPDX-FileCopyrightText: 2026 Mailtrail contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include <algorithm>

// The postfix-grok-patterns specs (tests/data/postfix/grok): one Postfix log message each, with
// the fields its grok pattern must extract. Here they become Event expectations for mismatches().
namespace mailtrail::test {

using namespace Qt::StringLiterals;

struct GrokSpec {
    QByteArray data;
    QList<std::pair<QString, QString>> results;
};

// Only the YAML those files use: one-line double-quoted or bare scalars, full-line comments.
inline QByteArray unquoteYaml(const QByteArray &raw)
{
    const QByteArray s = raw.trimmed();
    if (!s.startsWith('"'))
        return s;
    QByteArray out;
    for (qsizetype i = 1; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        const char escaped = s[++i];
        out += escaped == 'n' ? '\n' : escaped == 'r' ? '\r' : escaped == 't' ? '\t' : escaped;
    }
    return out;
}

inline bool readGrokSpec(const QString &path, GrokSpec &spec)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    bool inResults = false;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith('#'))
            continue;
        if (line.startsWith("data:")) {
            spec.data = unquoteYaml(line.mid(5));
        } else if (line.startsWith("results:")) {
            inResults = true;
        } else if (inResults && line.startsWith(' ') && trimmed.contains(": ")) {
            const qsizetype colon = trimmed.indexOf(": ");
            spec.results.append({QString::fromUtf8(trimmed.left(colon)), QString::fromUtf8(unquoteYaml(trimmed.mid(colon + 2)))});
        } else {
            inResults = false;
        }
    }
    return !spec.data.isEmpty() && !spec.results.isEmpty();
}

// "smtpd_0004.yaml" -> "postfix/smtpd"; tls_features_* are smtp delivery lines.
inline QString grokProgram(const QString &fileName)
{
    QString daemon = fileName.left(fileName.lastIndexOf(u'_'));
    if (daemon == u"tls_features")
        return u"postfix/smtp"_s;
    if (daemon == u"script")
        return u"postfix/postfix-script"_s;
    return u"postfix/"_s + daemon.replace(u'_', u'-');
}

// The reply code a delivery or response text starts with, or that of the remote server's answer.
inline int replyCodeIn(const QString &text)
{
    static const QRegularExpression leading(u"^([2-5]\\d\\d)[ -]"_s);
    static const QRegularExpression answer(u"(?:said|talk to me): ([2-5]\\d\\d)[ -]"_s);
    QRegularExpressionMatch m = leading.match(text);
    if (!m.hasMatch())
        m = answer.match(text);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

// Grok fields with no Event counterpart: statistics, TLS details, SMTP stages, ports.
inline bool outOfScope(const QString &key, const QString &daemon)
{
    static const QStringList prefixes = {u"postfix_anvil_"_s, u"postfix_tls_"_s, u"postfix_scache_"_s,
        u"postfix_verify_"_s, u"postfix_dnsbl_"_s, u"postfix_prepend_"_s, u"postfix_postsuper_summary_"_s,
        u"postfix_cmd_"_s, u"postfix_requiretls"_s};
    static const QSet<QString> names = {u"postfix_service"_s, u"postfix_client_ip_unknown"_s, u"postfix_client_port"_s,
        u"postfix_server_ip"_s, u"postfix_server_port"_s, u"postfix_smtp_stage"_s, u"postfix_proxy_smtp_stage"_s,
        u"postfix_version"_s, u"postfix_config_path"_s, u"postfix_termination_signal"_s, u"postfix_pix_workaround"_s,
        u"postfix_milter_data"_s, u"postfix_discarded_ehlo_keywords"_s, u"postfix_postscreen_cache_retained"_s,
        u"postfix_postscreen_cache_dropped"_s, u"postfix_postscreen_access"_s, u"postfix_postscreen_violation"_s,
        u"postfix_postscreen_violation_time"_s, u"postfix_postscreen_dnsbl_rank"_s};
    // anvil's "(smtpd:ip)" is a statistics key, not a client connection.
    if (daemon == u"anvil" && key == u"postfix_client_ip")
        return true;
    return names.contains(key) || std::any_of(prefixes.begin(), prefixes.end(), [&](const QString &p) { return key.startsWith(p); });
}

// The Event a spec's line must give. Kinds come from what the fields say (a queue id with to= and
// a status is a Delivery...), with `kinds` for the lines whose kind no grok field tells.
class GrokExpectations
{
public:
    GrokExpectations(const QString &fileName, const GrokSpec &spec, const QHash<QString, QString> &kinds)
        : m_file(fileName.section(u'.', 0, 0))
        , m_daemon(fileName.left(fileName.lastIndexOf(u'_')))
        , m_data(QString::fromUtf8(spec.data))
    {
        for (const auto &[key, value] : spec.results)
            m_fields.insert(key, value);
        const QString program = grokProgram(fileName);
        m_expect << u"host=mx1"_s << u"pid=123"_s << u"program="_s + program
                 << u"service="_s + program.mid(program.lastIndexOf(u'/') + 1);
        mapIdentity();
        mapEnvelope();
        mapReplies();
        mapActions();
        mapMessages();
        if (kinds.contains(m_file))
            m_kind = kinds.value(m_file);
        if (m_kind.isEmpty())
            m_kind = has("postfix_queueid") && value("postfix_queueid") != u"NOQUEUE" ? u"Info"_s : kindWithoutQueueId();
        m_expect << u"kind="_s + m_kind;
    }

    QStringList expectations() const { return m_expect; }
    QStringList unmappedKeys() const
    {
        QStringList keys;
        for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
            if (!m_used.contains(it.key()) && !outOfScope(it.key(), m_daemon))
                keys << it.key();
        }
        return keys;
    }

private:
    bool has(const char *key) const { return m_fields.contains(QLatin1StringView(key)); }
    QString value(const char *key)
    {
        m_used.insert(QLatin1StringView(key));
        return m_fields.value(QLatin1StringView(key));
    }
    void expect(const QString &field, QChar op, const QString &want) { m_expect << field + op + want; }

    void mapIdentity()
    {
        if (has("postfix_queueid")) {
            const QString id = value("postfix_queueid");
            expect(u"queueId"_s, u'=', id == u"NOQUEUE" ? QString() : id);
        }
        if (has("postfix_client_hostname"))
            expect(u"clientHost"_s, u'=', value("postfix_client_hostname"));
        if (has("postfix_client_ip") && !outOfScope(u"postfix_client_ip"_s, m_daemon))
            expect(u"clientIp"_s, u'=', value("postfix_client_ip"));
        if (has("postfix_relay_hostname") || has("postfix_relay_ip")) {
            const QString port = has("postfix_relay_port") ? u":"_s + value("postfix_relay_port") : QString();
            expect(u"relay"_s, u'=', value("postfix_relay_hostname") + u'[' + value("postfix_relay_ip") + u']' + port);
        }
    }

    void mapEnvelope()
    {
        if (has("postfix_from")) {
            expect(u"sender"_s, u'=', value("postfix_from"));
            expect(u"hasSender"_s, u'=', u"true"_s);
        }
        if (has("postfix_to"))
            expect(u"recipient"_s, u'=', value("postfix_to"));
        if (!has("postfix_keyvalue_data"))
            return;
        const QString kv = value("postfix_keyvalue_data");
        static const QRegularExpression pair(u"([a-z_]+)=(<[^>]*>|[^,\\s]*)"_s);
        static const QHash<QString, QString> names = {{u"to"_s, u"recipient"_s}, {u"orig_to"_s, u"origRecipient"_s},
            {u"relay"_s, u"relay"_s}, {u"dsn"_s, u"dsn"_s}, {u"from"_s, u"sender"_s}, {u"size"_s, u"size"_s},
            {u"nrcpt"_s, u"nrcpt"_s}, {u"delays"_s, u"delays"_s}};
        for (const QRegularExpressionMatch &m : pair.globalMatch(kv)) {
            QString v = m.captured(2);
            if (v.startsWith(u'<'))
                v = v.mid(1, v.size() - 2);
            const QString key = m.captured(1);
            if (names.contains(key))
                expect(names.value(key), u'=', v);
            if (key == u"delay")
                expect(u"delaySec"_s, u'=', QString::number(v.toDouble()));
            if (key == u"client") {
                expect(u"clientHost"_s, u'=', v.section(u'[', 0, 0));
                expect(u"clientIp"_s, u'=', v.section(u'[', 1).chopped(1));
            }
        }
        if (kv.contains(u"proto="))  // action lines: their envelope tells whether a sender was given
            expect(u"hasSender"_s, u'=', kv.contains(u"from=") ? u"true"_s : u"false"_s);
        if (kv.startsWith(u"to=") && m_data.contains(u"status="))
            m_kind = u"Delivery"_s;
        else if (kv.startsWith(u"from=") && kv.contains(u"size="))
            m_kind = u"Queued"_s;
        else if (kv.startsWith(u"uid="))
            m_kind = u"Pickup"_s;
        else if (kv.startsWith(u"client="))
            m_kind = u"Client"_s;
    }

    void expectReply(const QString &text)
    {
        expect(u"replyText"_s, u'=', text);
        expect(u"replyCode"_s, u'=', QString::number(replyCodeIn(text)));
    }

    void mapReplies()
    {
        for (const char *key : {"postfix_smtp_response", "postfix_local_response", "postfix_pipe_response",
                                "postfix_error_response"}) {
            if (has(key))
                expectReply(value(key));
        }
        if (has("postfix_status")) {
            static const QSet<QString> known = {u"sent"_s, u"deferred"_s, u"bounced"_s, u"expired"_s};
            const QString status = value("postfix_status");
            expect(u"status"_s, u'=', known.contains(status) ? status.left(1).toUpper() + status.mid(1) : u"None"_s);
            if (!known.contains(status))
                expect(u"detail"_s, u'=', status);
            if (status == u"expired" && !has("postfix_keyvalue_data"))
                m_kind = u"Expired"_s;
        }
        if (has("postfix_status_code"))
            expect(u"replyCode"_s, u'=', value("postfix_status_code"));
        if (has("postfix_status_code_enhanced"))
            expect(u"dsn"_s, u'=', value("postfix_status_code_enhanced"));
        if (has("postfix_status_message"))
            expect(u"replyText"_s, u'$', value("postfix_status_message"));
        if (has("postfix_status_data"))  // the rejected item, in the reply as "<item>: "
            expect(u"replyText"_s, u'~', value("postfix_status_data"));
        if (has("postfix_postscreen_toobusy_data")) {  // "NOQUEUE: reject: CONNECT from [ip]:port: too many ..."
            expect(u"replyText"_s, u'=', value("postfix_postscreen_toobusy_data"));
            expect(u"status"_s, u'=', u"Rejected"_s);
            m_kind = u"Reject"_s;
        }
    }

    void expectAction(const QString &action, const QString &prefix)
    {
        const QString verb = action.mid(action.lastIndexOf(u'-') + 1);
        const bool reject = verb == u"reject";
        m_kind = reject ? u"Reject"_s : verb == u"hold" ? u"Hold"_s : verb == u"discard" ? u"Discard"_s
               : verb == u"redirect" ? u"Redirect"_s : u"Info"_s;
        expect(u"status"_s, u'=', reject ? u"Rejected"_s : verb == u"discard" ? u"Discarded"_s : u"None"_s);
        if (!reject)
            expect(u"detail"_s, u'^', prefix + action + u": "_s);
    }

    void mapActions()
    {
        if (has("postfix_action"))
            expectAction(value("postfix_action"), QString());
        if (has("postfix_proxy_result")) {
            expectAction(u"proxy-"_s + value("postfix_proxy_result"), QString());
            expect(u"replyText"_s, u'=', value("postfix_proxy_message"));
            if (has("postfix_proxy_status_code"))
                expect(u"replyCode"_s, u'=', value("postfix_proxy_status_code"));
            if (has("postfix_proxy_status_code_enhanced"))
                expect(u"dsn"_s, u'=', value("postfix_proxy_status_code_enhanced"));
        }
        if (has("postfix_milter_result")) {
            const QString action = u"milter-"_s + value("postfix_milter_result");
            const QString message = value("postfix_milter_message");
            expectAction(action, QString());
            if (action == u"milter-reject")  // "END-OF-MESSAGE from host[ip]: <reply>"
                expect(u"replyText"_s, u'=', message.mid(message.indexOf(u"]: "_s) + 3));
            else
                expect(u"detail"_s, u'=', action + u": "_s + message);
        }
    }

    void mapMessages()
    {
        if (has("postfix_message-id")) {
            expect(u"messageId"_s, u'=', value("postfix_message-id"));
            m_kind = u"MessageId"_s;
        }
        if (has("postfix_bounce_queueid")) {
            expect(u"relatedQueueId"_s, u'=', value("postfix_bounce_queueid"));
            expect(u"detail"_s, u'=', value("postfix_bounce_recipient") + u' ' + value("postfix_bounce_reason") + u" notification"_s);
            m_kind = u"Notification"_s;
        }
        if (has("postfix_message")) {
            const QString message = value("postfix_message");
            const QString level = has("postfix_message_level") ? value("postfix_message_level") : QString();
            const bool levelBeforeId = has("postfix_queueid") && m_data.startsWith(level + u": "_s + m_fields.value(u"postfix_queueid"_s));
            if (level.isEmpty() && message == u"removed")
                m_kind = u"Removed"_s;
            else
                expect(u"detail"_s, u'=', level.isEmpty() || levelBeforeId ? message : level + u": "_s + message);
        }
        if (has("postfix_postsuper_action")) {
            const QString action = value("postfix_postsuper_action");
            if (action == u"removed")
                m_kind = u"Deleted"_s;  // by the administrator, not at the end of delivery
            else
                expect(u"detail"_s, u'=', action);
            if (action == u"placed on hold")
                m_kind = u"Hold"_s;
            else if (action == u"released from hold" || action == u"requeued")
                m_kind = u"Release"_s;
        }
        if (has("postfix_smtpd_lostconn_data")) {
            const QString what = value("postfix_smtpd_lostconn_data");
            const bool ended = what == u"lost connection" || what == u"timeout";
            if (ended)
                m_kind = u"LostConnection"_s;
            expect(u"detail"_s, u'^', ended ? what + u" after "_s + m_fields.value(u"postfix_smtp_stage"_s) : what);
        }
        for (const char *key : {"postfix_smtp_lostconn_data", "postfix_smtp_lostconn_reason"}) {
            if (has(key))
                expect(u"detail"_s, u'~', value(key));
        }
        if (has("postfix_command_counter_data")) {
            expect(u"detail"_s, u'=', value("postfix_command_counter_data"));
            m_kind = u"Disconnect"_s;
        }
    }

    // What a line that names no message says, by what the line reads like (issue 11): TLS
    // handshakes, postscreen and DNSBL verdicts, clients misbehaving, and the server's own
    // statistics and diagnostics, each understood; Unknown only for what is none of them.
    QString kindWithoutQueueId() const
    {
        static const QStringList housekeeping = {u"anvil"_s, u"master"_s, u"scache"_s, u"script"_s, u"tlsmgr"_s,
                                                 u"verify"_s, u"postmap"_s, u"postsuper"_s};
        static const QRegularExpression verdict(u"^[A-Z][A-Z -]+ .*\\[[0-9a-f.:]+\\]:\\d+"_s);
        static const QRegularExpression diagnostic(u"^(warning|error|fatal|panic): "_s);
        if (m_data.contains(u" TLS connection established "_s))
            return u"Tls"_s;
        if (m_daemon == u"postscreen") {
            const bool passes = m_data.startsWith(u"PASS "_s) || m_data.startsWith(u"WHITELIST"_s) ||
                                m_data.startsWith(u"ALLOWLIST"_s);
            return passes || m_data.startsWith(u"cache "_s) || diagnostic.match(m_data).hasMatch() ? u"Notice"_s
                 : verdict.match(m_data).hasMatch() ? u"Screen"_s : u"Unknown"_s;
        }
        if (m_daemon == u"tlsproxy")
            return u"Notice"_s;  // its CONNECT and DISCONNECT repeat what postscreen or smtpd log
        if (m_daemon == u"dnsblog")
            return m_data.contains(u" listed by domain "_s) ? u"Screen"_s : u"Notice"_s;
        if (m_daemon == u"smtpd" && (m_data.contains(u" does not resolve to address "_s) ||
                                     m_data.startsWith(u"improper command pipelining "_s) ||
                                     m_data.startsWith(u"SSL_accept error "_s) || m_data.startsWith(u"bare <LF> "_s) ||
                                     m_data.contains(u"non-SMTP command"_s)))
            return u"ClientWarning"_s;
        if (m_daemon == u"smtpd" && m_data.startsWith(u"discarding EHLO keywords"_s))
            return u"Notice"_s;
        if (m_daemon == u"smtp" && (m_data.startsWith(u"connect to "_s) || m_data.startsWith(u"SSL_connect error "_s) ||
                                    m_data.startsWith(u"certificate verification failed "_s)))
            return u"Notice"_s;
        if (housekeeping.contains(m_daemon) || diagnostic.match(m_data).hasMatch())
            return u"Notice"_s;
        return u"Unknown"_s;
    }

    QString m_file, m_daemon, m_data, m_kind;
    QHash<QString, QString> m_fields;
    QSet<QString> m_used;
    QStringList m_expect;
};

} // namespace mailtrail::test
