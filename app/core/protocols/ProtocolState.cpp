#include "ProtocolState.h"

#include "messages/Message.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace wst {

void ProtocolState::reset()
{
    m_ready = false;
    m_handshake.clear();
    m_operations.clear();
}

qsizetype ProtocolState::activeCount() const
{
    return std::count_if(
        m_operations.cbegin(), m_operations.cend(), [](const Operation &o) { return o.active; });
}

bool ProtocolState::apply(const ProtocolNotice &notice)
{
    using Type = ProtocolNotice::Type;
    switch (notice.type) {
    case Type::Ready:
        m_ready = true;
        return true;
    case Type::Handshake:
        for (const auto &field : notice.fields) {
            const auto same = std::find_if(m_handshake.begin(), m_handshake.end(),
                [&field](const auto &existing) { return existing.first == field.first; });
            if (same != m_handshake.end())
                same->second = field.second;
            else
                m_handshake.append(field);
        }
        return true;
    case Type::OperationStarted: {
        Operation operation;
        operation.id = notice.id;
        operation.name = notice.name;
        operation.startedUs = nowUs();
        const qsizetype firstEnded = activeCount();
        m_operations.insert(firstEnded, operation);
        return true;
    }
    case Type::OperationEnded: {
        const auto it = std::find_if(m_operations.begin(), m_operations.end(),
            [&notice](const Operation &o) { return o.active && o.id == notice.id; });
        if (it == m_operations.end())
            return false;
        Operation ended = *it;
        m_operations.erase(it);
        ended.active = false;
        ended.endReason = notice.data.isString() ? notice.data.toString()
            : notice.data.isObject()
            ? QString::fromUtf8(QJsonDocument(notice.data.toObject()).toJson(QJsonDocument::Compact))
            : QString();
        m_operations.insert(activeCount(), ended);
        while (m_operations.size() - activeCount() > MaxEnded)
            m_operations.removeLast();
        return true;
    }
    case Type::Reply:
    case Type::Error:
        return false;
    }
    return false;
}

} // namespace wst
