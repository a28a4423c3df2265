// The filter expression parser on any text; what it accepts is evaluated against a few
// documents, and a parse error is always one line that names a position.
#include "FuzzSupport.h"
#include "messages/FilterExpression.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<FilterExpression> expression = FilterExpression::parse(text, &error);
    if (!expression) {
        if (!error.startsWith(QLatin1StringView("position ")) || error.contains(u'\n'))
            abort();
        return 0;
    }
    if (!error.isEmpty())
        abort();
    static const QJsonValue documents[] = {
        QJsonDocument::fromJson(
            R"({"type":"trade","data":{"price":101.5,"qty":"7","tags":["a","b"]},"u":null})")
            .object(),
        QJsonDocument::fromJson(R"([1,"2",{"a":[{"b":true}]}])").array(),
        QJsonValue(QStringLiteral("text")),
        QJsonValue(QJsonValue::Undefined),
    };
    for (const QJsonValue &document : documents)
        (void)expression->matches(document);
    return 0;
}
