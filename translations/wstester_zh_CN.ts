<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BinaryJson</name>
    <message>
        <source>the JSON is not valid: %1 at offset %2</source>
        <translation>JSON 无效：%1，位于偏移 %2</translation>
    </message>
    <message>
        <source>the text is not one JSON value</source>
        <translation>该文本不是单个 JSON 值</translation>
    </message>
</context>
<context>
    <name>BsonCodec</name>
    <message>
        <source>BSON: the element at byte %1 runs past the end of its document.</source>
        <translation>BSON：第 %1 字节处的元素超出了其所在文档的末尾。</translation>
    </message>
    <message>
        <source>BSON: a document ends at byte %1, before the length it gives.</source>
        <translation>BSON：文档在第 %1 字节处结束，早于它声明的长度。</translation>
    </message>
    <message>
        <source>BSON: documents nested deeper than %1.</source>
        <translation>BSON：文档嵌套超过 %1 层。</translation>
    </message>
    <message>
        <source>BSON: unknown element type 0x%1 at byte %2.</source>
        <translation>BSON：第 %2 字节处是未知的元素类型 0x%1。</translation>
    </message>
    <message>
        <source>BSON: the payload has %1 bytes; a document takes at least 5.</source>
        <translation>BSON：负载只有 %1 字节；一个文档至少需要 5 字节。</translation>
    </message>
    <message>
        <source>BSON: the document says %1 bytes, the payload has %2.</source>
        <translation>BSON：文档声明 %1 字节，负载却有 %2 字节。</translation>
    </message>
    <message>
        <source>BSON: the document does not end with a zero byte.</source>
        <translation>BSON：文档不是以零字节结尾。</translation>
    </message>
    <message>
        <source>BSON: the document is malformed.</source>
        <translation>BSON：文档格式错误。</translation>
    </message>
    <message>
        <source>BSON: %1.</source>
        <translation>BSON：%1。</translation>
    </message>
    <message>
        <source>BSON: a string in the document is not valid UTF-8, or a value cannot be written as JSON.</source>
        <translation>BSON：文档中的某个字符串不是有效的 UTF-8，或某个值无法写成 JSON。</translation>
    </message>
    <message>
        <source>BSON: a document is a JSON object ({…}).</source>
        <translation>BSON：文档必须是 JSON 对象（{…}）。</translation>
    </message>
</context>
<context>
    <name>CborCodec</name>
    <message>
        <source>CBOR: truncated at byte %1 of %2.</source>
        <translation>CBOR：在第 %1 字节处截断（共 %2 字节）。</translation>
    </message>
    <message>
        <source>CBOR: %1 at byte %2.</source>
        <translation>CBOR：%1，位于第 %2 字节。</translation>
    </message>
    <message>
        <source>CBOR: a length of %1 at byte %2 is more than the %3 bytes left.</source>
        <translation>CBOR：第 %2 字节处的长度 %1 超过了剩余的 %3 字节。</translation>
    </message>
    <message>
        <source>CBOR: bad byte string.</source>
        <translation>CBOR：字节串无效。</translation>
    </message>
    <message>
        <source>CBOR: bad text string.</source>
        <translation>CBOR：文本串无效。</translation>
    </message>
    <message>
        <source>CBOR: bad container.</source>
        <translation>CBOR：容器无效。</translation>
    </message>
    <message>
        <source>CBOR: nested deeper than %1 levels.</source>
        <translation>CBOR：嵌套超过 %1 层。</translation>
    </message>
    <message>
        <source>CBOR: the JSON would be larger than %1 MiB.</source>
        <translation>CBOR：生成的 JSON 将超过 %1 MiB。</translation>
    </message>
    <message>
        <source>CBOR: a tag without a value.</source>
        <translation>CBOR：标签后没有值。</translation>
    </message>
    <message>
        <source>CBOR: no data item at byte %1.</source>
        <translation>CBOR：第 %1 字节处没有数据项。</translation>
    </message>
    <message>
        <source>CBOR: bad data item at byte %1.</source>
        <translation>CBOR：第 %1 字节处的数据项无效。</translation>
    </message>
    <message>
        <source>CBOR: the payload is empty.</source>
        <translation>CBOR：负载为空。</translation>
    </message>
    <message>
        <source>CBOR: %1 bytes left over after the data item that ends at byte %2.</source>
        <translation>CBOR：在结束于第 %2 字节的数据项之后还剩 %1 字节。</translation>
    </message>
    <message>
        <source>CBOR: %1.</source>
        <translation>CBOR：%1。</translation>
    </message>
</context>
<context>
    <name>CertificateMaker</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot make the certificate authority: %1</source>
        <translation>无法创建证书颁发机构：%1</translation>
    </message>
    <message>
        <source>“%1” is neither a host name nor an IP address.</source>
        <translation>“%1”既不是主机名也不是 IP 地址。</translation>
    </message>
    <message>
        <source>A certificate needs at least one host name or IP address.</source>
        <translation>证书至少需要一个主机名或 IP 地址。</translation>
    </message>
    <message>
        <source>The certificate authority cannot be read: %1</source>
        <translation>无法读取证书颁发机构：%1</translation>
    </message>
    <message>
        <source>The certificate authority&apos;s key does not belong to its certificate.</source>
        <translation>证书颁发机构的密钥与其证书不匹配。</translation>
    </message>
    <message>
        <source>Cannot make the certificate: %1</source>
        <translation>无法创建证书：%1</translation>
    </message>
    <message>
        <source>%1 already holds a certificate authority; it is kept.</source>
        <translation>%1 中已有证书颁发机构，予以保留。</translation>
    </message>
    <message>
        <source>Cannot make the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>wstester local CA</source>
        <translation>wstester 本地 CA</translation>
    </message>
    <message>
        <source>Apps trust the proxy&apos;s wss:// once they trust this certificate authority:</source>
        <translation>应用信任此证书颁发机构后，即信任代理的 wss://：</translation>
    </message>
    <message>
        <source>Chromium and Google Chrome on Linux (their own certificate store; needs libnss3-tools):</source>
        <translation>Linux 上的 Chromium 和 Google Chrome（使用自己的证书库；需要 libnss3-tools）：</translation>
    </message>
    <message>
        <source>Every program on Debian or Ubuntu (system-wide, as root):</source>
        <translation>Debian 或 Ubuntu 上的所有程序（全系统，需 root）：</translation>
    </message>
    <message>
        <source>Firefox: Settings → Privacy &amp; Security → Certificates → View Certificates → Authorities → Import…, choose the file above and tick “Trust this CA to identify websites”.</source>
        <translation>Firefox：设置 → 隐私与安全 → 证书 → 查看证书 → 证书颁发机构 → 导入…，选择上面的文件并勾选“信任由此证书颁发机构来标识网站”。</translation>
    </message>
    <message>
        <source>Node.js:</source>
        <translation>Node.js：</translation>
    </message>
    <message>
        <source>Python (ssl, websockets, requests):</source>
        <translation>Python（ssl、websockets、requests）：</translation>
    </message>
    <message>
        <source>curl:</source>
        <translation>curl：</translation>
    </message>
    <message>
        <source>To stop trusting it: certutil -D -d sql:$HOME/.pki/nssdb -n wstester; remove the file from /usr/local/share/ca-certificates and run update-ca-certificates --fresh.</source>
        <translation>取消信任：certutil -D -d sql:$HOME/.pki/nssdb -n wstester；从 /usr/local/share/ca-certificates 删除该文件并运行 update-ca-certificates --fresh。</translation>
    </message>
</context>
<context>
    <name>CheckCase</name>
    <message>
        <source>framing</source>
        <translation>分帧</translation>
    </message>
    <message>
        <source>ping/pong</source>
        <translation>ping/pong</translation>
    </message>
    <message>
        <source>reserved bits</source>
        <translation>保留位</translation>
    </message>
    <message>
        <source>opcodes</source>
        <translation>操作码</translation>
    </message>
    <message>
        <source>fragmentation</source>
        <translation>分片</translation>
    </message>
    <message>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>limits</source>
        <translation>限制</translation>
    </message>
    <message>
        <source>fail the connection: Close 1002 (5.2, 7.4.1)</source>
        <translation>使连接失败：Close 1002（5.2、7.4.1）</translation>
    </message>
    <message>
        <source>text message</source>
        <translation>文本消息</translation>
    </message>
    <message>
        <source>echoed</source>
        <translation>回显</translation>
    </message>
    <message>
        <source>empty text message</source>
        <translation>空文本消息</translation>
    </message>
    <message>
        <source>binary message, bytes 0-255</source>
        <translation>二进制消息，字节 0-255</translation>
    </message>
    <message>
        <source>text of 125 bytes (7-bit length)</source>
        <translation>125 字节的文本（7 位长度）</translation>
    </message>
    <message>
        <source>text of 126 bytes (16-bit length)</source>
        <translation>126 字节的文本（16 位长度）</translation>
    </message>
    <message>
        <source>text of 65536 bytes (64-bit length)</source>
        <translation>65536 字节的文本（64 位长度）</translation>
    </message>
    <message>
        <source>unmasked client frame</source>
        <translation>未掩码的客户端帧</translation>
    </message>
    <message>
        <source>a server closes when a client frame is not masked (5.1)</source>
        <translation>客户端帧未掩码时服务器应关闭连接（5.1）</translation>
    </message>
    <message>
        <source>5-byte payload in the 64-bit length form</source>
        <translation>以 64 位长度形式表示的 5 字节载荷</translation>
    </message>
    <message>
        <source>the minimal number of bytes must be used for the length (5.2)</source>
        <translation>长度必须使用最少的字节数表示（5.2）</translation>
    </message>
    <message>
        <source>length shorter than the payload</source>
        <translation>长度小于载荷</translation>
    </message>
    <message>
        <source>the rest is read as a frame with RSV bits set: fail the connection (5.2)</source>
        <translation>剩余部分被当作设置了 RSV 位的帧：使连接失败（5.2）</translation>
    </message>
    <message>
        <source>length longer than the payload</source>
        <translation>长度大于载荷</translation>
    </message>
    <message>
        <source>the frame is not complete: nothing is echoed while the rest is missing (5.2)</source>
        <translation>帧不完整：缺少剩余部分时不应回显任何内容（5.2）</translation>
    </message>
    <message>
        <source>ping without payload</source>
        <translation>无载荷的 ping</translation>
    </message>
    <message>
        <source>a pong (5.5.2)</source>
        <translation>一个 pong（5.5.2）</translation>
    </message>
    <message>
        <source>ping with 125 bytes</source>
        <translation>125 字节的 ping</translation>
    </message>
    <message>
        <source>a pong with the same payload (5.5.3)</source>
        <translation>载荷相同的 pong（5.5.3）</translation>
    </message>
    <message>
        <source>ping with 126 bytes</source>
        <translation>126 字节的 ping</translation>
    </message>
    <message>
        <source>control frames carry at most 125 bytes (5.5)</source>
        <translation>控制帧最多携带 125 字节（5.5）</translation>
    </message>
    <message>
        <source>unsolicited pong</source>
        <translation>未经请求的 pong</translation>
    </message>
    <message>
        <source>ignored: a pong may be unsolicited (5.5.3)</source>
        <translation>忽略：pong 可以是未经请求的（5.5.3）</translation>
    </message>
    <message>
        <source>fragmented ping (FIN=0)</source>
        <translation>分片的 ping（FIN=0）</translation>
    </message>
    <message>
        <source>control frames must not be fragmented (5.5)</source>
        <translation>控制帧不得分片（5.5）</translation>
    </message>
    <message>
        <source>RSV%1 set on a %2 frame</source>
        <translation>%2 帧上设置了 RSV%1</translation>
    </message>
    <message>
        <source>RSV bits without a negotiated extension: %1</source>
        <translation>未协商扩展却设置了 RSV 位：%1</translation>
    </message>
    <message>
        <source>reserved opcode %1</source>
        <translation>保留操作码 %1</translation>
    </message>
    <message>
        <source>an unknown opcode: %1</source>
        <translation>未知操作码：%1</translation>
    </message>
    <message>
        <source>text in 3 fragments</source>
        <translation>分 3 片的文本</translation>
    </message>
    <message>
        <source>reassembled and echoed whole (5.4)</source>
        <translation>重组后完整回显（5.4）</translation>
    </message>
    <message>
        <source>text in 3 fragments, pings between</source>
        <translation>分 3 片的文本，中间插入 ping</translation>
    </message>
    <message>
        <source>control frames may come between fragments; echoed whole (5.4)</source>
        <translation>控制帧可以出现在分片之间；完整回显（5.4）</translation>
    </message>
    <message>
        <source>binary in 100 fragments</source>
        <translation>分 100 片的二进制</translation>
    </message>
    <message>
        <source>continuation without a start</source>
        <translation>没有起始帧的延续帧</translation>
    </message>
    <message>
        <source>a continuation with no message open: %1</source>
        <translation>没有未完成消息时的延续帧：%1</translation>
    </message>
    <message>
        <source>new text while a fragmented message is open</source>
        <translation>分片消息未完成时又发新文本</translation>
    </message>
    <message>
        <source>fragments of two messages must not interleave (5.4)</source>
        <translation>两条消息的分片不得交错（5.4）</translation>
    </message>
    <message>
        <source>valid multi-byte UTF-8</source>
        <translation>有效的多字节 UTF-8</translation>
    </message>
    <message>
        <source>invalid UTF-8 (overlong C0 AF)</source>
        <translation>无效 UTF-8（超长编码 C0 AF）</translation>
    </message>
    <message>
        <source>fail the connection: Close 1007 (8.1)</source>
        <translation>使连接失败：Close 1007（8.1）</translation>
    </message>
    <message>
        <source>invalid UTF-8 (a surrogate) across fragments</source>
        <translation>跨分片的无效 UTF-8（代理码点）</translation>
    </message>
    <message>
        <source>multi-byte UTF-8 sent one byte at a time</source>
        <translation>逐字节发送的多字节 UTF-8</translation>
    </message>
    <message>
        <source>echoed (5.2)</source>
        <translation>回显（5.2）</translation>
    </message>
    <message>
        <source>Close 1000</source>
        <translation>Close 1000</translation>
    </message>
    <message>
        <source>a Close in reply, usually with the same code (5.5.1)</source>
        <translation>回复一个 Close，通常使用相同代码（5.5.1）</translation>
    </message>
    <message>
        <source>Close without a code</source>
        <translation>不带代码的 Close</translation>
    </message>
    <message>
        <source>a Close in reply (5.5.1)</source>
        <translation>回复一个 Close（5.5.1）</translation>
    </message>
    <message>
        <source>Close with a 1-byte payload</source>
        <translation>载荷为 1 字节的 Close</translation>
    </message>
    <message>
        <source>a close body is a 2-byte code and a reason (5.5.1)</source>
        <translation>Close 的正文是 2 字节代码加原因（5.5.1）</translation>
    </message>
    <message>
        <source>Close with code %1</source>
        <translation>代码为 %1 的 Close</translation>
    </message>
    <message>
        <source>a code not allowed on the wire: %1</source>
        <translation>不允许在线路上出现的代码：%1</translation>
    </message>
    <message>
        <source>Close with code 3000</source>
        <translation>代码为 3000 的 Close</translation>
    </message>
    <message>
        <source>a registered code: a Close in reply (7.4.2)</source>
        <translation>已注册的代码：回复一个 Close（7.4.2）</translation>
    </message>
    <message>
        <source>Close with code 4999</source>
        <translation>代码为 4999 的 Close</translation>
    </message>
    <message>
        <source>a private code: a Close in reply (7.4.2)</source>
        <translation>私有代码：回复一个 Close（7.4.2）</translation>
    </message>
    <message>
        <source>Close reason that is not UTF-8</source>
        <translation>原因不是 UTF-8 的 Close</translation>
    </message>
    <message>
        <source>fail the connection: Close 1007 (5.5.1, 8.1)</source>
        <translation>使连接失败：Close 1007（5.5.1、8.1）</translation>
    </message>
    <message>
        <source>Close with a 124-byte reason (126-byte frame)</source>
        <translation>原因为 124 字节的 Close（126 字节的帧）</translation>
    </message>
    <message>
        <source>text after our Close</source>
        <translation>我方 Close 之后的文本</translation>
    </message>
    <message>
        <source>nothing after a Close is processed: the Close is answered, the text is not echoed (5.5.1)</source>
        <translation>Close 之后的内容不再处理：应答 Close，不回显文本（5.5.1）</translation>
    </message>
    <message>
        <source>text of 1 MiB</source>
        <translation>1 MiB 的文本</translation>
    </message>
    <message>
        <source>echoed (or Close 1009 when over the server&apos;s limit)</source>
        <translation>回显（超过服务器限制时为 Close 1009）</translation>
    </message>
    <message>
        <source>binary of 64 KiB in 1000 fragments</source>
        <translation>分 1000 片的 64 KiB 二进制</translation>
    </message>
    <message>
        <source>compressed text message</source>
        <translation>压缩的文本消息</translation>
    </message>
    <message>
        <source>inflated and echoed (RFC 7692 section 6)</source>
        <translation>解压后回显（RFC 7692 第 6 节）</translation>
    </message>
    <message>
        <source>compressed binary message of 64 KiB</source>
        <translation>64 KiB 的压缩二进制消息</translation>
    </message>
    <message>
        <source>5 compressed messages, context takeover</source>
        <translation>5 条压缩消息，上下文接管</translation>
    </message>
    <message>
        <source>each inflated with the window of the ones before, and echoed (RFC 7692 7.2.3.2)</source>
        <translation>每条都用之前消息的窗口解压并回显（RFC 7692 7.2.3.2）</translation>
    </message>
    <message>
        <source>compressed text in 3 fragments</source>
        <translation>分成 3 个分片的压缩文本</translation>
    </message>
    <message>
        <source>RSV1 on the first fragment only; reassembled, inflated and echoed (RFC 7692 section 6.1)</source>
        <translation>仅第一个分片设置 RSV1；重组、解压后回显（RFC 7692 第 6.1 节）</translation>
    </message>
    <message>
        <source>uncompressed text on a compressing connection</source>
        <translation>压缩连接上的未压缩文本</translation>
    </message>
    <message>
        <source>a message without RSV1 is not compressed: echoed (RFC 7692 section 6)</source>
        <translation>未设置 RSV1 的消息未被压缩：回显（RFC 7692 第 6 节）</translation>
    </message>
    <message>
        <source>fail the connection: Close 1002 (RFC 7692 section 6.1)</source>
        <translation>使连接失败：Close 1002（RFC 7692 第 6.1 节）</translation>
    </message>
    <message>
        <source>RSV1 set on a ping</source>
        <translation>在 ping 上设置 RSV1</translation>
    </message>
    <message>
        <source>RSV1 set on a continuation frame</source>
        <translation>在延续帧上设置 RSV1</translation>
    </message>
    <message>
        <source>invalid deflate data</source>
        <translation>无效的 deflate 数据</translation>
    </message>
    <message>
        <source>fail the connection (RFC 7692 section 6.2 names no code: 1007 or 1002)</source>
        <translation>使连接失败（RFC 7692 第 6.2 节未指定代码：1007 或 1002）</translation>
    </message>
    <message>
        <source>compression</source>
        <translation>压缩</translation>
    </message>
</context>
<context>
    <name>ClientSettingsJson</name>
    <message>
        <source>“%1” must be a string.</source>
        <translation>“%1”必须是字符串。</translation>
    </message>
    <message>
        <source>“%1” must be true or false.</source>
        <translation>“%1”必须是 true 或 false。</translation>
    </message>
    <message>
        <source>“%1” must be a whole number of milliseconds.</source>
        <translation>“%1”必须是整数毫秒数。</translation>
    </message>
    <message>
        <source>“%1” must be an array.</source>
        <translation>“%1”必须是数组。</translation>
    </message>
    <message>
        <source>“headers”[%1] must be [&quot;Name&quot;, &quot;value&quot;].</source>
        <translation>“headers”[%1] 必须是 [&quot;Name&quot;, &quot;value&quot;]。</translation>
    </message>
    <message>
        <source>“subprotocols”[%1] must be a string.</source>
        <translation>“subprotocols”[%1] 必须是字符串。</translation>
    </message>
    <message>
        <source>“minimumTls” must be &quot;any&quot;, &quot;1.2&quot; or &quot;1.3&quot;, not “%1”.</source>
        <translation>“minimumTls”必须是 &quot;any&quot;、&quot;1.2&quot; 或 &quot;1.3&quot;，而不是“%1”。</translation>
    </message>
    <message>
        <source>“proxy”: %1</source>
        <translation>“proxy”：%1</translation>
    </message>
    <message>
        <source>must be a string.</source>
        <translation>必须是字符串。</translation>
    </message>
    <message>
        <source>“%1”[%2]: %3</source>
        <translation>“%1”[%2]：%3</translation>
    </message>
</context>
<context>
    <name>CloseCodes</name>
    <message>
        <source>normal closure</source>
        <translation>正常关闭</translation>
    </message>
    <message>
        <source>going away</source>
        <translation>端点离开</translation>
    </message>
    <message>
        <source>protocol error</source>
        <translation>协议错误</translation>
    </message>
    <message>
        <source>unsupported data</source>
        <translation>不支持的数据</translation>
    </message>
    <message>
        <source>no status code received</source>
        <translation>未收到状态码</translation>
    </message>
    <message>
        <source>abnormal closure, no close frame</source>
        <translation>异常关闭，未收到关闭帧</translation>
    </message>
    <message>
        <source>invalid payload data</source>
        <translation>无效的负载数据</translation>
    </message>
    <message>
        <source>policy violation</source>
        <translation>违反策略</translation>
    </message>
    <message>
        <source>message too big</source>
        <translation>消息过大</translation>
    </message>
    <message>
        <source>mandatory extension missing</source>
        <translation>缺少必需的扩展</translation>
    </message>
    <message>
        <source>internal server error</source>
        <translation>服务器内部错误</translation>
    </message>
    <message>
        <source>service restart</source>
        <translation>服务重启</translation>
    </message>
    <message>
        <source>try again later</source>
        <translation>请稍后重试</translation>
    </message>
    <message>
        <source>bad gateway</source>
        <translation>网关错误</translation>
    </message>
    <message>
        <source>TLS handshake failure</source>
        <translation>TLS 握手失败</translation>
    </message>
    <message>
        <source>registered for libraries and frameworks</source>
        <translation>供库和框架注册使用</translation>
    </message>
    <message>
        <source>private use</source>
        <translation>私有用途</translation>
    </message>
    <message>
        <source>unknown code</source>
        <translation>未知代码</translation>
    </message>
    <message>
        <source>The close reason is %1 bytes in UTF-8; at most %2 are allowed.</source>
        <translation>关闭原因按 UTF-8 编码为 %1 字节；最多允许 %2 字节。</translation>
    </message>
    <message>
        <source>Close code %1 never appears in a Close frame: use 1000-1003, 1007-1014 or 3000-4999.</source>
        <translation>关闭码 %1 不允许出现在 Close 帧中：请使用 1000-1003、1007-1014 或 3000-4999。</translation>
    </message>
</context>
<context>
    <name>Collection</name>
    <message>
        <source>an item has the unknown type “%1”</source>
        <translation>某个条目的类型“%1”未知</translation>
    </message>
    <message>
        <source>“%1”: “settings” is not an object</source>
        <translation>“%1”：“settings”不是对象</translation>
    </message>
    <message>
        <source>“%1”: “messages” is not a list</source>
        <translation>“%1”：“messages”不是列表</translation>
    </message>
    <message>
        <source>“%1”: “items” is not a list</source>
        <translation>“%1”：“items”不是列表</translation>
    </message>
    <message>
        <source>“%1”: an item is not an object</source>
        <translation>“%1”：某个条目不是对象</translation>
    </message>
    <message>
        <source>“%1”: a collection inside a collection</source>
        <translation>“%1”：集合中嵌套了集合</translation>
    </message>
    <message>
        <source>not valid JSON at byte %1: %2</source>
        <translation>第 %1 字节处不是有效的 JSON：%2</translation>
    </message>
    <message>
        <source>collection format version %1 is not supported (this wstester reads version %2)</source>
        <translation>不支持集合格式版本 %1（此 wstester 读取的是版本 %2）</translation>
    </message>
    <message>
        <source>Collection</source>
        <translation>集合</translation>
    </message>
    <message>
        <source>not a wstester collection (no “format”: “%1”)</source>
        <translation>不是 wstester 集合（缺少“format”: “%1”）</translation>
    </message>
</context>
<context>
    <name>ConnectionArgs</name>
    <message>
        <source>Add a request header (repeatable).</source>
        <translation>添加一个请求头（可重复）。</translation>
    </message>
    <message>
        <source>Name: value</source>
        <translation>名称: 值</translation>
    </message>
    <message>
        <source>Offer a subprotocol (repeatable).</source>
        <translation>提供一个子协议（可重复）。</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Send this Origin header.</source>
        <translation>发送此 Origin 请求头。</translation>
    </message>
    <message>
        <source>origin</source>
        <translation>origin</translation>
    </message>
    <message>
        <source>How long to wait for the handshake (default 10).</source>
        <translation>等待握手的时长（默认 10）。</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒数</translation>
    </message>
    <message>
        <source>Accept any server certificate (wss://): verification errors are shown, not fatal.</source>
        <translation>接受任何服务器证书（wss://）：验证错误只显示，不视为致命错误。</translation>
    </message>
    <message>
        <source>Also trust the CA certificates in this PEM file.</source>
        <translation>同时信任此 PEM 文件中的 CA 证书。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Private key of the client certificate (PEM).</source>
        <translation>客户端证书的私钥（PEM）。</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Print the handshake (request, response, TLS) on standard error.</source>
        <translation>在标准错误输出上打印握手（请求、响应、TLS）。</translation>
    </message>
    <message>
        <source>The ws:// or wss:// URL to connect to.</source>
        <translation>要连接的 ws:// 或 wss:// URL。</translation>
    </message>
    <message>
        <source>a URL is required, e.g. ws://127.0.0.1:8080/</source>
        <translation>需要一个 URL，例如 ws://127.0.0.1:8080/</translation>
    </message>
    <message>
        <source>only one URL can be given.</source>
        <translation>只能指定一个 URL。</translation>
    </message>
    <message>
        <source>Connect through this proxy: http://[user:pass@]host:port or socks5://…</source>
        <translation>通过此代理连接：http://[user:pass@]host:port 或 socks5://…</translation>
    </message>
    <message>
        <source>url</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Lowest TLS version to accept: 1.2 or 1.3.</source>
        <translation>可接受的最低 TLS 版本：1.2 或 1.3。</translation>
    </message>
    <message>
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Reconnect after a lost or failed connection, waiting 1 s, 2 s, 4 s… up to 30 s.</source>
        <translation>连接中断或失败后重新连接，依次等待 1 秒、2 秒、4 秒…最长 30 秒。</translation>
    </message>
    <message>
        <source>--tls-min takes 1.2 or 1.3.</source>
        <translation>--tls-min 只能取 1.2 或 1.3。</translation>
    </message>
    <message>
        <source>Client certificate for mutual TLS: PEM (with --key) or PKCS#12 (.p12/.pfx).</source>
        <translation>用于双向 TLS 的客户端证书：PEM（配合 --key）或 PKCS#12（.p12/.pfx）。</translation>
    </message>
    <message>
        <source>Passphrase of an encrypted --key or of a PKCS#12 --cert.</source>
        <translation>加密的 --key 或 PKCS#12 格式 --cert 的密码。</translation>
    </message>
    <message>
        <source>Close with 1009 when the server sends a larger message (default %1 bytes; 0: Qt&apos;s limit of %2).</source>
        <translation>服务器发送的消息超过此大小时以 1009 关闭连接（默认 %1 字节；0：使用 Qt 的上限 %2）。</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>Offer no permessage-deflate (compression); a browser offers it, and so does wstester.</source>
        <translation>不提供 permessage-deflate（压缩）；浏览器会提供，wstester 默认也会。</translation>
    </message>
    <message>
        <source>A permessage-deflate parameter to offer (repeatable): client_max_window_bits=9..15, server_max_window_bits=8..15, client_no_context_takeover, server_no_context_takeover.</source>
        <translation>要提供的 permessage-deflate 参数（可重复）：client_max_window_bits=9..15、server_max_window_bits=8..15、client_no_context_takeover、server_no_context_takeover。</translation>
    </message>
    <message>
        <source>name[=value]</source>
        <translation>名称[=值]</translation>
    </message>
    <message>
        <source>--deflate-option cannot be used with --no-deflate.</source>
        <translation>--deflate-option 不能与 --no-deflate 同时使用。</translation>
    </message>
    <message>
        <source>--deflate-option: %1</source>
        <translation>--deflate-option：%1</translation>
    </message>
</context>
<context>
    <name>ConnectionOptions</name>
    <message>
        <source>Enter a URL such as ws://127.0.0.1:8080/ or wss://example.com/feed.</source>
        <translation>请输入 URL，例如 ws://127.0.0.1:8080/ 或 wss://example.com/feed。</translation>
    </message>
    <message>
        <source>The URL is not valid: %1</source>
        <translation>URL 无效：%1</translation>
    </message>
    <message>
        <source>The URL has no scheme: start it with ws:// or wss://.</source>
        <translation>URL 缺少协议方案：请以 ws:// 或 wss:// 开头。</translation>
    </message>
    <message>
        <source>The scheme “%1” is not a WebSocket scheme: use %2:// instead.</source>
        <translation>协议方案“%1”不是 WebSocket 方案：请改用 %2://。</translation>
    </message>
    <message>
        <source>The scheme “%1” is not supported: use ws:// or wss://.</source>
        <translation>不支持协议方案“%1”：请使用 ws:// 或 wss://。</translation>
    </message>
    <message>
        <source>The URL has no host.</source>
        <translation>URL 缺少主机。</translation>
    </message>
    <message>
        <source>A WebSocket URL cannot have a fragment (the part after “#”).</source>
        <translation>WebSocket URL 不能包含片段（“#”之后的部分）。</translation>
    </message>
    <message>
        <source>The header has no name.</source>
        <translation>该请求头没有名称。</translation>
    </message>
    <message>
        <source>“%1” is not a valid header name.</source>
        <translation>“%1”不是有效的请求头名称。</translation>
    </message>
    <message>
        <source>Host is made from the URL: change the URL instead.</source>
        <translation>Host 由 URL 生成：请改为修改 URL。</translation>
    </message>
    <message>
        <source>Set Origin in the Origin field, not as a header.</source>
        <translation>请在 Origin 字段中设置 Origin，而不是作为请求头。</translation>
    </message>
    <message>
        <source>Set subprotocols in the Subprotocols field, not as a header.</source>
        <translation>请在“子协议”字段中设置子协议，而不是作为请求头。</translation>
    </message>
    <message>
        <source>%1 is part of the WebSocket handshake and is sent by wstester itself.</source>
        <translation>%1 属于 WebSocket 握手，由 wstester 自行发送。</translation>
    </message>
    <message>
        <source>“%1” is not a header: write it as “Name: value”.</source>
        <translation>“%1”不是请求头：请写成“名称: 值”的形式。</translation>
    </message>
    <message>
        <source>The URL is not valid.</source>
        <translation>URL 无效。</translation>
    </message>
    <message>
        <source>The value of header %1 contains a line break.</source>
        <translation>请求头 %1 的值包含换行符。</translation>
    </message>
    <message>
        <source>Header %1 is set twice: Qt sends one value per header name.</source>
        <translation>请求头 %1 被设置了两次：Qt 对每个请求头名称只发送一个值。</translation>
    </message>
    <message>
        <source>“%1” is not a valid subprotocol name.</source>
        <translation>“%1”不是有效的子协议名称。</translation>
    </message>
    <message>
        <source>The connect timeout must be positive.</source>
        <translation>连接超时必须为正数。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate (expected “-----BEGIN CERTIFICATE-----”).</source>
        <translation>%1 中没有 PEM 证书（应包含“-----BEGIN CERTIFICATE-----”）。</translation>
    </message>
    <message>
        <source>A client certificate needs both the certificate file and its key file.</source>
        <translation>客户端证书需要同时提供证书文件及其密钥文件。</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate.</source>
        <translation>%1 中没有 PEM 证书。</translation>
    </message>
    <message>
        <source>%1 is encrypted: give its passphrase.</source>
        <translation>%1 已加密：请提供其密码。</translation>
    </message>
    <message>
        <source>Cannot read the private key in %1: not a PEM RSA or EC key, or a wrong passphrase.</source>
        <translation>无法读取 %1 中的私钥：不是 PEM 格式的 RSA 或 EC 密钥，或密码错误。</translation>
    </message>
    <message>
        <source>“%1” is not a proxy: write http://host:port or socks5://host:port (optionally with user:password@).</source>
        <translation>“%1”不是代理：请写成 http://host:port 或 socks5://host:port（可带 user:password@）。</translation>
    </message>
    <message>
        <source>The private key in %1 does not belong to the certificate in %2.</source>
        <translation>%1 中的私钥与 %2 中的证书不匹配。</translation>
    </message>
    <message>
        <source>%1 is not a PKCS#12 file.</source>
        <translation>%1 不是 PKCS#12 文件。</translation>
    </message>
    <message>
        <source>Cannot open the PKCS#12 file %1: the passphrase is wrong, or it is encrypted in a way OpenSSL does not support.</source>
        <translation>无法打开 PKCS#12 文件 %1：密码错误，或其加密方式不受 OpenSSL 支持。</translation>
    </message>
    <message>
        <source>Sec-WebSocket-Extensions cannot be set: wstester offers permessage-deflate itself (Request options: Compression).</source>
        <translation>不能设置 Sec-WebSocket-Extensions：wstester 会自行提供 permessage-deflate（请求选项：压缩）。</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2：%3</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>已打开</translation>
    </message>
    <message>
        <source>Open — subprotocol %1</source>
        <translation>已打开 — 子协议 %1</translation>
    </message>
    <message>
        <source>Closing…</source>
        <translation>正在关闭…</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Closed — %1</source>
        <translation>已关闭 — %1</translation>
    </message>
    <message>
        <source>Error — %1</source>
        <translation>错误 — %1</translation>
    </message>
    <message>
        <source>%1 — certificate errors ignored</source>
        <translation>%1 — 已忽略证书错误</translation>
    </message>
</context>
<context>
    <name>DecoderSetting</name>
    <message>
        <source>Decoder: “%1” is not a list of strings.</source>
        <translation>解码器：“%1”不是字符串列表。</translation>
    </message>
    <message>
        <source>Decoder: “%1” holds something that is not a path.</source>
        <translation>解码器：“%1”中有不是路径的内容。</translation>
    </message>
    <message>
        <source>Decoder: “%1” is not a string.</source>
        <translation>解码器：“%1”不是字符串。</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>MessagePack</source>
        <translation>MessagePack</translation>
    </message>
    <message>
        <source>CBOR</source>
        <translation>CBOR</translation>
    </message>
    <message>
        <source>Protocol Buffers</source>
        <translation>Protocol Buffers</translation>
    </message>
    <message>
        <source>Decoder: “%1” is not an object of byte values and types.</source>
        <translation>解码器：“%1”不是由字节值和类型组成的对象。</translation>
    </message>
    <message>
        <source>Decoder: the first-byte rule “%1” is not a byte value with a type.</source>
        <translation>解码器：首字节规则“%1”不是带类型的字节值。</translation>
    </message>
    <message>
        <source>Decoder: .proto files and message types belong to Protocol Buffers only.</source>
        <translation>解码器：.proto 文件和消息类型只用于 Protocol Buffers。</translation>
    </message>
    <message>
        <source>Decoder: Protocol Buffers needs at least one .proto file.</source>
        <translation>解码器：Protocol Buffers 至少需要一个 .proto 文件。</translation>
    </message>
    <message>
        <source>Decoder: the first byte %1 is not 0-255.</source>
        <translation>解码器：首字节 %1 不在 0-255 之间。</translation>
    </message>
    <message>
        <source>Decoder: the first byte %1 has no message type.</source>
        <translation>解码器：首字节 %1 没有对应的消息类型。</translation>
    </message>
    <message>
        <source>Decoder: no message type chosen.</source>
        <translation>解码器：未选择消息类型。</translation>
    </message>
    <message>
        <source>BSON</source>
        <translation>BSON</translation>
    </message>
    <message>
        <source>Decoder: unknown codec “%1” (none, msgpack, cbor, bson or protobuf).</source>
        <translation>解码器：未知的编解码器“%1”（可用 none、msgpack、cbor、bson 或 protobuf）。</translation>
    </message>
</context>
<context>
    <name>DeflateAgreement</name>
    <message>
        <source>permessage-deflate: server window %1 bits%2, client window %3 bits%4</source>
        <translation>permessage-deflate：服务器窗口 %1 位%2，客户端窗口 %3 位%4</translation>
    </message>
    <message>
        <source>, no context takeover</source>
        <translation>，不保留上下文</translation>
    </message>
</context>
<context>
    <name>DeflateNegotiation</name>
    <message>
        <source>The server&apos;s permessage-deflate response is invalid: %1</source>
        <translation>服务器的 permessage-deflate 响应无效：%1</translation>
    </message>
    <message>
        <source>it accepts the extension twice (RFC 7692 section 5).</source>
        <translation>它两次接受了该扩展（RFC 7692 第 5 节）。</translation>
    </message>
    <message>
        <source>%1 is given twice.</source>
        <translation>%1 出现了两次。</translation>
    </message>
    <message>
        <source>%1 takes no value.</source>
        <translation>%1 不接受值。</translation>
    </message>
    <message>
        <source>server_max_window_bits=%1 is not 8 to 15.</source>
        <translation>server_max_window_bits=%1 不在 8 到 15 之间。</translation>
    </message>
    <message>
        <source>server_max_window_bits=%1 is larger than the %2 offered.</source>
        <translation>server_max_window_bits=%1 大于所提供的 %2。</translation>
    </message>
    <message>
        <source>client_max_window_bits was not offered (RFC 7692 section 7.1.2.2).</source>
        <translation>并未提供 client_max_window_bits（RFC 7692 第 7.1.2.2 节）。</translation>
    </message>
    <message>
        <source>client_max_window_bits=%1 is not 8 to 15.</source>
        <translation>client_max_window_bits=%1 不在 8 到 15 之间。</translation>
    </message>
    <message>
        <source>client_max_window_bits=%1 is larger than the %2 offered.</source>
        <translation>client_max_window_bits=%1 大于所提供的 %2。</translation>
    </message>
    <message>
        <source>client_max_window_bits=8 cannot be kept to (zlib compresses with 9 bits at least).</source>
        <translation>无法遵守 client_max_window_bits=8（zlib 压缩至少使用 9 位窗口）。</translation>
    </message>
    <message>
        <source>unknown parameter “%1”.</source>
        <translation>未知参数“%1”。</translation>
    </message>
    <message>
        <source>server_no_context_takeover was requested but not accepted.</source>
        <translation>请求了 server_no_context_takeover，但未被接受。</translation>
    </message>
    <message>
        <source>server_max_window_bits was requested but not accepted.</source>
        <translation>请求了 server_max_window_bits，但未被接受。</translation>
    </message>
</context>
<context>
    <name>DeflateOffer</name>
    <message>
        <source>%1 takes no value.</source>
        <translation>%1 不接受值。</translation>
    </message>
    <message>
        <source>%1 must be a number from %2 to 15, not “%3”.</source>
        <translation>%1 必须是 %2 到 15 之间的数字，而不是“%3”。</translation>
    </message>
    <message>
        <source>“%1” is not a permessage-deflate parameter (client_max_window_bits, server_max_window_bits, client_no_context_takeover, server_no_context_takeover).</source>
        <translation>“%1”不是 permessage-deflate 参数（client_max_window_bits、server_max_window_bits、client_no_context_takeover、server_no_context_takeover）。</translation>
    </message>
</context>
<context>
    <name>DeflateStage</name>
    <message>
        <source>The server set RSV1 on a control frame (RFC 7692 section 6.1).</source>
        <translation>服务器在控制帧上设置了 RSV1（RFC 7692 第 6.1 节）。</translation>
    </message>
    <message>
        <source>The server set RSV1 on a continuation frame (RFC 7692 section 6.1).</source>
        <translation>服务器在延续帧上设置了 RSV1（RFC 7692 第 6.1 节）。</translation>
    </message>
    <message>
        <source>The server began a new message inside a compressed fragmented one.</source>
        <translation>服务器在一条压缩的分片消息内部开始了新消息。</translation>
    </message>
    <message>
        <source>A compressed message from the server is over the %1-byte limit.</source>
        <translation>服务器发来的压缩消息超过了 %1 字节的上限。</translation>
    </message>
    <message>
        <source>A compressed message from the server inflates to more than the %1-byte limit.</source>
        <translation>服务器发来的压缩消息解压后超过了 %1 字节的上限。</translation>
    </message>
    <message>
        <source>The server sent invalid deflate data (%1).</source>
        <translation>服务器发送了无效的 deflate 数据（%1）。</translation>
    </message>
</context>
<context>
    <name>EnvironmentOption</name>
    <message>
        <source>--env “%1”: there are no environments in %2.</source>
        <translation>--env “%1”：%2 中没有任何环境。</translation>
    </message>
    <message>
        <source>--env “%1”: no environment of that name in %2 (there are: %3).</source>
        <translation>--env “%1”：%2 中没有这个名称的环境（现有：%3）。</translation>
    </message>
    <message>
        <source>--env %1: the secret “%2” has no value here (%3); pass it with --var %2=…</source>
        <translation>--env %1：机密变量“%2”在这里没有值（%3）；请用 --var %2=… 传入</translation>
    </message>
    <message>
        <source>the secret service did not give it</source>
        <translation>系统密钥服务没有提供它</translation>
    </message>
    <message>
        <source>no secret service</source>
        <translation>没有系统密钥服务</translation>
    </message>
</context>
<context>
    <name>FaultPlan</name>
    <message>
        <source>fault “%1”: %2</source>
        <translation>故障“%1”：%2</translation>
    </message>
    <message>
        <source>%1 needs a value (%1=...).</source>
        <translation>%1 需要一个值（%1=...）。</translation>
    </message>
    <message>
        <source>the delay must be a duration from 0 to %1 ms (300, 300ms or 2s).</source>
        <translation>延迟必须是 0 到 %1 毫秒之间的时长（300、300ms 或 2s）。</translation>
    </message>
    <message>
        <source>the share to drop must be a whole percentage from 0 to 100.</source>
        <translation>丢弃比例必须是 0 到 100 之间的整数百分比。</translation>
    </message>
    <message>
        <source>the number of frames must be from 1 to %1.</source>
        <translation>帧数必须在 1 到 %1 之间。</translation>
    </message>
    <message>
        <source>the close code must be 1000-1003, 1007-1014 or 3000-4999.</source>
        <translation>关闭码必须是 1000-1003、1007-1014 或 3000-4999。</translation>
    </message>
    <message>
        <source>abort takes no value; say when with after=N or after=2s.</source>
        <translation>abort 不带值；请用 after=N 或 after=2s 指定时机。</translation>
    </message>
    <message>
        <source>stop-reading takes no value; say when with after=N or after=2s.</source>
        <translation>stop-reading 不带值；请用 after=N 或 after=2s 指定时机。</translation>
    </message>
    <message>
        <source>the number of handshakes to refuse must be from 0 to %1.</source>
        <translation>要拒绝的握手次数必须在 0 到 %1 之间。</translation>
    </message>
    <message>
        <source>say what to corrupt: corrupt=utf8, corrupt=opcode or corrupt=rsv.</source>
        <translation>请指定要破坏的内容：corrupt=utf8、corrupt=opcode 或 corrupt=rsv。</translation>
    </message>
    <message>
        <source>the seed must be a whole number from 0 to 4294967295.</source>
        <translation>种子必须是 0 到 4294967295 之间的整数。</translation>
    </message>
    <message>
        <source>only close takes a reason.</source>
        <translation>只有 close 可以带原因。</translation>
    </message>
    <message>
        <source>%1 takes no options, and “%2” is one.</source>
        <translation>%1 不带选项，而“%2”是一个选项。</translation>
    </message>
    <message>
        <source>%1 takes %2, not “%3”.</source>
        <translation>%1 接受 %2，而不是“%3”。</translation>
    </message>
    <message>
        <source>the jitter must be a duration from 0 to %1 ms.</source>
        <translation>抖动必须是 0 到 %1 毫秒之间的时长。</translation>
    </message>
    <message>
        <source>after=%1 is not a count of messages (5) or a time (500ms, 2s).</source>
        <translation>after=%1 既不是消息条数（5）也不是时间（500ms、2s）。</translation>
    </message>
    <message>
        <source>the status must be an HTTP status from 300 to 599.</source>
        <translation>状态码必须是 300 到 599 之间的 HTTP 状态码。</translation>
    </message>
    <message>
        <source>at= must be a message number from 1 to %1.</source>
        <translation>at= 必须是 1 到 %1 之间的消息序号。</translation>
    </message>
    <message>
        <source>A fault delay must be from 0 to %1 ms.</source>
        <translation>故障延迟必须在 0 到 %1 毫秒之间。</translation>
    </message>
    <message>
        <source>The share of messages to drop must be from 0 to 100 %.</source>
        <translation>丢弃消息的比例必须在 0 到 100 % 之间。</translation>
    </message>
    <message>
        <source>A message can be split into at most %1 frames.</source>
        <translation>一条消息最多可拆分为 %1 帧。</translation>
    </message>
    <message>
        <source>The fault close code must be 1000-1003, 1007-1014 or 3000-4999.</source>
        <translation>故障关闭码必须是 1000-1003、1007-1014 或 3000-4999。</translation>
    </message>
    <message>
        <source>A fault closes after a number of messages or after a time, not both.</source>
        <translation>故障要么在若干条消息后关闭，要么在一段时间后关闭，不能两者兼有。</translation>
    </message>
    <message>
        <source>A close reason can be at most 123 bytes.</source>
        <translation>关闭原因最多 123 字节。</translation>
    </message>
    <message>
        <source>The number of handshakes to refuse must be from 0 to %1.</source>
        <translation>要拒绝的握手次数必须在 0 到 %1 之间。</translation>
    </message>
    <message>
        <source>The refusal status must be an HTTP status from 300 to 599.</source>
        <translation>拒绝时的状态码必须是 300 到 599 之间的 HTTP 状态码。</translation>
    </message>
    <message>
        <source>The message to corrupt is counted from 1.</source>
        <translation>要破坏的消息从 1 开始计数。</translation>
    </message>
    <message>
        <source>delay %1 ms ± %2</source>
        <translation>延迟 %1 毫秒 ± %2</translation>
    </message>
    <message>
        <source>delay %1 ms</source>
        <translation>延迟 %1 毫秒</translation>
    </message>
    <message>
        <source>drop %1 %</source>
        <translation>丢弃 %1 %</translation>
    </message>
    <message>
        <source>%1 frames a message</source>
        <translation>每条消息 %1 帧</translation>
    </message>
    <message>
        <source>after %1 ms</source>
        <translation>%1 毫秒后</translation>
    </message>
    <message>
        <source>on connect</source>
        <translation>连接时</translation>
    </message>
    <message>
        <source>close with %1 %2</source>
        <translation>%2以 %1 关闭</translation>
    </message>
    <message>
        <source>drop the connection %1</source>
        <translation>%1断开连接</translation>
    </message>
    <message>
        <source>stop reading %1</source>
        <translation>%1停止读取</translation>
    </message>
    <message>
        <source>refuse %1 handshakes with %2</source>
        <translation>以 %2 拒绝 %1 次握手</translation>
    </message>
    <message>
        <source>corrupt message %1 (%2)</source>
        <translation>破坏第 %1 条消息（%2）</translation>
    </message>
    <message>
        <source>The fault setting “%1” has the wrong type.</source>
        <translation>故障设置“%1”的类型不正确。</translation>
    </message>
    <message>
        <source>after 1 message</source>
        <translation>1 条消息后</translation>
    </message>
    <message>
        <source>after %1 messages</source>
        <translation>%1 条消息后</translation>
    </message>
    <message>
        <source>the rate must be a number of bytes a second from 1 to %1.</source>
        <translation>速率必须是每秒 1 到 %1 字节之间的数字。</translation>
    </message>
    <message>
        <source>ignore-pings takes no value.</source>
        <translation>ignore-pings 不接受值。</translation>
    </message>
    <message>
        <source>unknown fault “%1” (known: delay, drop, fragment, close, abort, stop-reading, refuse, corrupt, slow, ignore-pings, seed).</source>
        <translation>未知故障“%1”（已知：delay、drop、fragment、close、abort、stop-reading、refuse、corrupt、slow、ignore-pings、seed）。</translation>
    </message>
    <message>
        <source>The slow sending rate must be from 1 to %1 bytes a second.</source>
        <translation>慢速发送速率必须为每秒 1 到 %1 字节。</translation>
    </message>
    <message>
        <source>send at %1 bytes/s</source>
        <translation>以 %1 字节/秒发送</translation>
    </message>
    <message>
        <source>leave pings unanswered</source>
        <translation>不回应 ping</translation>
    </message>
    <message>
        <source>Fault SPEC (repeatable; one fault each):
  delay=MS[,jitter=MS]        delay every message sent (300, 300ms, 2s); order is kept
  drop=PERCENT                drop that share of the messages sent (0-100)
  fragment=N                  send each message as N frames
  close[=CODE][,after=N|T][,reason=TEXT]  close with CODE (default 4000) after N
                              messages sent to a client or T (500ms, 2s) after it
                              connects; neither: right away. The reason comes last.
  abort[,after=N|T]           drop the TCP connection without a Close frame
  stop-reading[,after=N|T]    stop reading what a client sends (its buffers fill)
  refuse[=K][,status=CODE]    refuse the next K handshakes (default 1, 503)
  corrupt=utf8|opcode|rsv[,at=N]  send message N (default 1) to each client as a
                              broken frame: invalid UTF-8, opcode 3, or RSV1-3 set
  slow=BYTES                  send to each client at most BYTES bytes a second
  ignore-pings                leave the clients&apos; pings unanswered (no pong)
  seed=N                      seed of drop and jitter (default: a new one each start)</source>
        <translation>故障 SPEC（可重复；每个一项故障）：
  delay=MS[,jitter=MS]        延迟发送的每条消息（300、300ms、2s）；保持顺序
  drop=PERCENT                丢弃该比例的已发送消息（0-100）
  fragment=N                  将每条消息分成 N 帧发送
  close[=CODE][,after=N|T][,reason=TEXT]  向客户端发送 N 条消息后或客户端连接
                              T（500ms、2s）后以 CODE（默认 4000）关闭；
                              都不指定：立即关闭。原因放在最后。
  abort[,after=N|T]           断开 TCP 连接而不发送关闭帧
  stop-reading[,after=N|T]    停止读取客户端发送的内容（其缓冲区会填满）
  refuse[=K][,status=CODE]    拒绝接下来的 K 次握手（默认 1 次，503）
  corrupt=utf8|opcode|rsv[,at=N]  将发给每个客户端的第 N 条消息（默认 1）作为
                              损坏的帧发送：无效 UTF-8、操作码 3 或设置 RSV1-3
  slow=BYTES                  向每个客户端每秒最多发送 BYTES 字节
  ignore-pings                不回应客户端的 ping（不发送 pong）
  seed=N                      丢弃和抖动的随机种子（默认：每次启动取新值）</translation>
    </message>
</context>
<context>
    <name>FilterExpression</name>
    <message>
        <source>unexpected &quot;%1&quot; after the end of the expression</source>
        <translation>表达式结束后出现了意外的“%1”</translation>
    </message>
    <message>
        <source>position %1: %2</source>
        <translation>位置 %1：%2</translation>
    </message>
    <message>
        <source>nested more than %1 deep</source>
        <translation>嵌套超过 %1 层</translation>
    </message>
    <message>
        <source>expected &quot;)&quot; to close the &quot;(&quot; at position %1</source>
        <translation>缺少“)”来闭合位置 %1 处的“(”</translation>
    </message>
    <message>
        <source>expected a JSON path such as $.type</source>
        <translation>这里应为 JSON 路径，例如 $.type</translation>
    </message>
    <message>
        <source>expected a JSON path such as $.type, found &quot;%1&quot;</source>
        <translation>这里应为 JSON 路径，例如 $.type，却是“%1”</translation>
    </message>
    <message>
        <source>in the path: %1</source>
        <translation>路径中：%1</translation>
    </message>
    <message>
        <source>&quot;=&quot; is not an operator: compare with &quot;==&quot;</source>
        <translation>“=”不是运算符：比较请用“==”</translation>
    </message>
    <message>
        <source>expected a value after &quot;%1&quot;</source>
        <translation>“%1”之后应有一个值</translation>
    </message>
    <message>
        <source>the string that starts here is not closed</source>
        <translation>从这里开始的字符串没有闭合</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a value: quote text (&quot;%1&quot;), or write a number, true, false or null</source>
        <translation>“%1”不是值：文本请加引号（&quot;%1&quot;），或写数字、true、false 或 null</translation>
    </message>
</context>
<context>
    <name>FrameDecoder</name>
    <message>
        <source>continuation</source>
        <translation>延续</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>二进制</translation>
    </message>
    <message>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>pong</source>
        <translation>Pong</translation>
    </message>
    <message>
        <source>reserved 0x%1</source>
        <translation>保留 0x%1</translation>
    </message>
</context>
<context>
    <name>FrameSpec</name>
    <message>
        <source>continuation</source>
        <translation>延续帧</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>二进制</translation>
    </message>
    <message>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>ping</source>
        <translation>ping</translation>
    </message>
    <message>
        <source>pong</source>
        <translation>pong</translation>
    </message>
    <message>
        <source>reserved opcode 0x%1</source>
        <translation>保留操作码 0x%1</translation>
    </message>
    <message>
        <source>code %1</source>
        <translation>代码 %1</translation>
    </message>
    <message>
        <source>no code</source>
        <translation>无代码</translation>
    </message>
    <message>
        <source>unmasked</source>
        <translation>未掩码</translation>
    </message>
    <message>
        <source>mask key %1</source>
        <translation>掩码密钥 %1</translation>
    </message>
    <message>
        <source>1 byte</source>
        <translation>1 字节</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>length lies: %1</source>
        <translation>长度字段虚报：%1</translation>
    </message>
    <message>
        <source>64-bit length</source>
        <translation>64 位长度</translation>
    </message>
    <message>
        <source>16-bit length</source>
        <translation>16 位长度</translation>
    </message>
    <message>
        <source>%1 fragments</source>
        <translation>%1 个分片</translation>
    </message>
    <message>
        <source>ping between fragments</source>
        <translation>分片之间插入 ping</translation>
    </message>
    <message>
        <source>one byte every %1 ms</source>
        <translation>每 %1 毫秒发送一个字节</translation>
    </message>
    <message>
        <source>%1 ms between frames</source>
        <translation>帧间隔 %1 毫秒</translation>
    </message>
    <message>
        <source>hand-made frame: %1</source>
        <translation>手工帧：%1</translation>
    </message>
</context>
<context>
    <name>FrameSpecParser</name>
    <message>
        <source>frame spec: a &apos;\&apos; ends the text</source>
        <translation>帧规格：文本以“\”结尾</translation>
    </message>
    <message>
        <source>frame spec: &apos;\x&apos; needs two hex digits</source>
        <translation>帧规格：“\x”后需要两位十六进制数字</translation>
    </message>
    <message>
        <source>frame spec: a quote is not closed</source>
        <translation>帧规格：引号未闭合</translation>
    </message>
    <message>
        <source>larger than %1 MiB</source>
        <translation>大于 %1 MiB</translation>
    </message>
    <message>
        <source>frame spec: %1: &apos;%2&apos; is not hex bytes (e.g. hex:ff fe 00)</source>
        <translation>帧规格：%1：“%2”不是十六进制字节（例如 hex:ff fe 00）</translation>
    </message>
    <message>
        <source>frame spec: %1: cannot read &apos;%2&apos;: %3</source>
        <translation>帧规格：%1：无法读取“%2”：%3</translation>
    </message>
    <message>
        <source>frame spec: %1: &apos;%2&apos; is not a byte count up to %3</source>
        <translation>帧规格：%1：“%2”不是不超过 %3 的字节数</translation>
    </message>
    <message>
        <source>frame spec: empty (e.g. op=text,payload=hello)</source>
        <translation>帧规格：为空（例如 op=text,payload=hello）</translation>
    </message>
    <message>
        <source>frame spec: %1: &apos;%2&apos; is not %3</source>
        <translation>帧规格：%1：“%2”不是%3</translation>
    </message>
    <message>
        <source>an opcode (text, binary, cont, close, ping, pong or 0-15)</source>
        <translation>操作码（text、binary、cont、close、ping、pong 或 0-15）</translation>
    </message>
    <message>
        <source>0 or 1</source>
        <translation>0 或 1</translation>
    </message>
    <message>
        <source>0 to 7 (RSV1=4, RSV2=2, RSV3=1)</source>
        <translation>0 到 7（RSV1=4，RSV2=2，RSV3=1）</translation>
    </message>
    <message>
        <source>on, off or a 4-byte key in hex (e.g. 0a1b2c3d)</source>
        <translation>on、off 或十六进制的 4 字节密钥（例如 0a1b2c3d）</translation>
    </message>
    <message>
        <source>a close code (0-65535)</source>
        <translation>关闭代码（0-65535）</translation>
    </message>
    <message>
        <source>a length (N, +N or -N)</source>
        <translation>长度（N、+N 或 -N）</translation>
    </message>
    <message>
        <source>1 to %1</source>
        <translation>1 到 %1</translation>
    </message>
    <message>
        <source>a ping payload of at most 125 bytes</source>
        <translation>不超过 125 字节的 ping 载荷</translation>
    </message>
    <message>
        <source>a delay in ms (0-60000)</source>
        <translation>以毫秒为单位的延迟（0-60000）</translation>
    </message>
    <message>
        <source>frame spec: unknown key &apos;%1&apos; (keys: op, fin, rsv1, rsv2, rsv3, rsv, mask, payload, bad-utf8, close, len, len64, len16, frag, ping-between, bytewise, gap)</source>
        <translation>帧规格：未知的键“%1”（可用的键：op, fin, rsv1, rsv2, rsv3, rsv, mask, payload, bad-utf8, close, len, len64, len16, frag, ping-between, bytewise, gap）</translation>
    </message>
    <message>
        <source>frame spec: %1 needs a value (%1=...)</source>
        <translation>帧规格：%1 需要一个值（%1=...）</translation>
    </message>
    <message>
        <source>frame spec: len: an absolute length with frag; give len=+N or len=-N</source>
        <translation>帧规格：len：与 frag 同用时不能给绝对长度；请用 len=+N 或 len=-N</translation>
    </message>
    <message>
        <source>frame spec: len16: the length is over 65535</source>
        <translation>帧规格：len16：长度超过 65535</translation>
    </message>
    <message>
        <source>frame spec: payload: larger than %1 MiB</source>
        <translation>帧规格：payload：大于 %1 MiB</translation>
    </message>
</context>
<context>
    <name>GraphqlWsCodec</name>
    <message>
        <source>GraphQL: not JSON (%1 at offset %2).</source>
        <translation>GraphQL：不是 JSON（偏移 %2 处：%1）。</translation>
    </message>
    <message>
        <source>GraphQL: the message is not a JSON object.</source>
        <translation>GraphQL：该消息不是 JSON 对象。</translation>
    </message>
    <message>
        <source>GraphQL: the message has no &quot;type&quot;.</source>
        <translation>GraphQL：该消息没有 &quot;type&quot;。</translation>
    </message>
    <message>
        <source>GraphQL: &quot;type&quot; must be a string.</source>
        <translation>GraphQL：&quot;type&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>GraphQL: unknown message type &quot;%1&quot;.</source>
        <translation>GraphQL：未知的消息类型 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>GraphQL %1: &quot;id&quot; is missing.</source>
        <translation>GraphQL %1：缺少 &quot;id&quot;。</translation>
    </message>
    <message>
        <source>GraphQL %1: &quot;id&quot; must be a non-empty string.</source>
        <translation>GraphQL %1：&quot;id&quot; 必须是非空字符串。</translation>
    </message>
    <message>
        <source>GraphQL %1: &quot;payload&quot; must be an object.</source>
        <translation>GraphQL %1：&quot;payload&quot; 必须是对象。</translation>
    </message>
    <message>
        <source>GraphQL %1: &quot;payload.query&quot; must be a string.</source>
        <translation>GraphQL %1：&quot;payload.query&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>GraphQL %1: &quot;payload.variables&quot; must be an object.</source>
        <translation>GraphQL %1：&quot;payload.variables&quot; 必须是对象。</translation>
    </message>
    <message>
        <source>GraphQL %1: &quot;payload.operationName&quot; must be a string.</source>
        <translation>GraphQL %1：&quot;payload.operationName&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>GraphQL %1: &quot;payload.extensions&quot; must be an object.</source>
        <translation>GraphQL %1：&quot;payload.extensions&quot; 必须是对象。</translation>
    </message>
    <message>
        <source>GraphQL %1: &quot;payload&quot; must be an object (an execution result).</source>
        <translation>GraphQL %1：&quot;payload&quot; 必须是对象（一个执行结果）。</translation>
    </message>
    <message>
        <source>GraphQL error: &quot;payload&quot; must be a non-empty list of GraphQL errors.</source>
        <translation>GraphQL error：&quot;payload&quot; 必须是非空的 GraphQL 错误列表。</translation>
    </message>
    <message>
        <source>GraphQL connection_error: &quot;payload&quot; must be an object.</source>
        <translation>GraphQL connection_error：&quot;payload&quot; 必须是对象。</translation>
    </message>
    <message>
        <source>(errors without a message)</source>
        <translation>（没有消息的错误）</translation>
    </message>
</context>
<context>
    <name>GraphqlWsProtocol</name>
    <message>
        <source>GraphQL: &quot;subprotocol&quot; must be &quot;graphql-transport-ws&quot; or &quot;graphql-ws&quot;.</source>
        <translation>GraphQL：&quot;subprotocol&quot; 必须是 &quot;graphql-transport-ws&quot; 或 &quot;graphql-ws&quot;。</translation>
    </message>
    <message>
        <source>GraphQL: &quot;connectionParams&quot; must be a JSON object.</source>
        <translation>GraphQL：&quot;connectionParams&quot; 必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>GraphQL: &quot;%1&quot; must be a number of 0 or more.</source>
        <translation>GraphQL：&quot;%1&quot; 必须是大于或等于 0 的数字。</translation>
    </message>
    <message>
        <source>GraphQL: &quot;failOperation&quot; must be a regular expression (a string).</source>
        <translation>GraphQL：&quot;failOperation&quot; 必须是正则表达式（字符串）。</translation>
    </message>
    <message>
        <source>GraphQL: &quot;failOperation&quot; is not a regular expression: %1</source>
        <translation>GraphQL：&quot;failOperation&quot; 不是有效的正则表达式：%1</translation>
    </message>
</context>
<context>
    <name>HandshakeCheck</name>
    <message>
        <source>The request line is not of the form “GET /path HTTP/1.1”.</source>
        <translation>请求行不是“GET /path HTTP/1.1”的形式。</translation>
    </message>
    <message>
        <source>A WebSocket handshake is a GET request, not %1.</source>
        <translation>WebSocket 握手应为 GET 请求，而不是 %1。</translation>
    </message>
    <message>
        <source>A WebSocket handshake needs HTTP/1.1 or later, not %1.</source>
        <translation>WebSocket 握手需要 HTTP/1.1 或更高版本，而不是 %1。</translation>
    </message>
    <message>
        <source>The request needs exactly one Host header.</source>
        <translation>请求必须恰好有一个 Host 请求头。</translation>
    </message>
    <message>
        <source>The request has no “Upgrade: websocket” header: it is a plain HTTP request, not a WebSocket handshake.</source>
        <translation>请求中没有“Upgrade: websocket”请求头：这是普通的 HTTP 请求，不是 WebSocket 握手。</translation>
    </message>
    <message>
        <source>The request&apos;s Connection header does not name “Upgrade”.</source>
        <translation>请求的 Connection 请求头中没有“Upgrade”。</translation>
    </message>
    <message>
        <source>The request has no Sec-WebSocket-Key header.</source>
        <translation>请求中没有 Sec-WebSocket-Key 请求头。</translation>
    </message>
    <message>
        <source>The request has more than one Sec-WebSocket-Key header.</source>
        <translation>请求中有多个 Sec-WebSocket-Key 请求头。</translation>
    </message>
    <message>
        <source>Sec-WebSocket-Key must be 16 bytes in base64 (24 characters), not “%1”.</source>
        <translation>Sec-WebSocket-Key 必须是 base64 编码的 16 个字节（24 个字符），而不是“%1”。</translation>
    </message>
    <message>
        <source>The request has no Sec-WebSocket-Version header.</source>
        <translation>请求中没有 Sec-WebSocket-Version 请求头。</translation>
    </message>
    <message>
        <source>This server speaks WebSocket version 13, not %1.</source>
        <translation>本服务器使用 WebSocket 版本 13，而不是 %1。</translation>
    </message>
</context>
<context>
    <name>HandshakeRecord</name>
    <message>
        <source>subject: %1
issuer: %2
valid: %3 to %4
SHA-256: %5
SANs: %6</source>
        <translation>主题：%1
颁发者：%2
有效期：%3 至 %4
SHA-256：%5
SAN：%6</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>* Connected to %1%2</source>
        <translation>* 已连接到 %1%2</translation>
    </message>
    <message>
        <source> over TLS</source>
        <translation>（经由 TLS）</translation>
    </message>
    <message>
        <source>* Connecting to %1%2</source>
        <translation>* 正在连接到 %1%2</translation>
    </message>
    <message>
        <source>* Connection failed: %1</source>
        <translation>* 连接失败：%1</translation>
    </message>
    <message>
        <source>* TLS: %1, cipher %2</source>
        <translation>* TLS：%1，加密套件 %2</translation>
    </message>
    <message>
        <source>* Certificate %1:</source>
        <translation>* 证书 %1：</translation>
    </message>
    <message>
        <source>* Certificate error: %1</source>
        <translation>* 证书错误：%1</translation>
    </message>
    <message>
        <source>* Sec-WebSocket-Accept is valid</source>
        <translation>* Sec-WebSocket-Accept 有效</translation>
    </message>
    <message>
        <source>* Sec-WebSocket-Accept is INVALID for the key sent</source>
        <translation>* Sec-WebSocket-Accept 与发送的密钥不匹配（无效）</translation>
    </message>
    <message>
        <source>* Sec-WebSocket-Accept is missing</source>
        <translation>* 缺少 Sec-WebSocket-Accept</translation>
    </message>
    <message>
        <source>TCP connect %1</source>
        <translation>TCP 连接 %1</translation>
    </message>
    <message>
        <source>TLS handshake %1</source>
        <translation>TLS 握手 %1</translation>
    </message>
    <message>
        <source>WebSocket handshake %1</source>
        <translation>WebSocket 握手 %1</translation>
    </message>
    <message>
        <source>permessage-deflate: offered, not accepted by the server</source>
        <translation>permessage-deflate：已提供，但服务器未接受</translation>
    </message>
</context>
<context>
    <name>HarImport</name>
    <message>
        <source>Cannot write the session: %1</source>
        <translation>无法写入会话：%1</translation>
    </message>
    <message>
        <source>Entry %1 (%2), message %3: the binary data is not valid base64.</source>
        <translation>条目 %1（%2），消息 %3：二进制数据不是有效的 base64。</translation>
    </message>
    <message>
        <source>Imported from %1 (HAR entry %2); read-only.</source>
        <translation>导入自 %1（HAR 条目 %2）；只读。</translation>
    </message>
    <message>
        <source>The file %1 does not exist.</source>
        <translation>文件 %1 不存在。</translation>
    </message>
    <message>
        <source>The file %1 cannot be read: %2</source>
        <translation>无法读取文件 %1：%2</translation>
    </message>
    <message>
        <source>a HAR file</source>
        <translation>HAR 文件</translation>
    </message>
    <message>
        <source>%1 is not a HAR file: it is not valid JSON (%2 at byte %3).</source>
        <translation>%1 不是 HAR 文件：它不是有效的 JSON（%2，位于第 %3 字节）。</translation>
    </message>
    <message>
        <source>%1 is not a HAR file: it has no “log.entries” list.</source>
        <translation>%1 不是 HAR 文件：其中没有“log.entries”列表。</translation>
    </message>
    <message>
        <source>%1 holds %2 requests but no WebSocket connection. In Chrome DevTools, keep the Network panel open while the page connects, then save with “Save all as HAR with content”.</source>
        <translation>%1 包含 %2 个请求，但没有 WebSocket 连接。在 Chrome DevTools 中，请在页面建立连接时保持“网络”面板打开，然后使用“以 HAR 格式保存所有内容”（Save all as HAR with content）保存。</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>%1 is a folder.</source>
        <translation>%1 是一个文件夹。</translation>
    </message>
    <message>
        <source>Cannot write the session %1: %2</source>
        <translation>无法写入会话 %1：%2</translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation>导入已取消。</translation>
    </message>
    <message>
        <source>Cannot replace %1: %2</source>
        <translation>无法替换 %1：%2</translation>
    </message>
    <message>
        <source>%1 is a folder, not a HAR file.</source>
        <translation>%1 是文件夹，不是 HAR 文件。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>HighlightRules</name>
    <message>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>橙色</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿色</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>蓝色</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>紫色</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>灰色</translation>
    </message>
    <message>
        <source>rule %1: %2</source>
        <translation>规则 %1：%2</translation>
    </message>
    <message>
        <source>highlight rule %1 has no expression: skipped</source>
        <translation>高亮规则 %1 没有表达式：已跳过</translation>
    </message>
    <message>
        <source>highlight rule %1 has an unknown colour &quot;%2&quot;: skipped</source>
        <translation>高亮规则 %1 的颜色“%2”未知：已跳过</translation>
    </message>
    <message>
        <source>highlight rule %1 (%2): %3: skipped</source>
        <translation>高亮规则 %1（%2）：%3：已跳过</translation>
    </message>
</context>
<context>
    <name>JsonFormat</name>
    <message>
        <source>The document is empty: expected a JSON value.</source>
        <translation>文档为空：应为一个 JSON 值。</translation>
    </message>
    <message>
        <source>Unexpected data after the end of the JSON value.</source>
        <translation>JSON 值结束之后还有多余的数据。</translation>
    </message>
    <message>
        <source>The document is nested more than %1 levels deep.</source>
        <translation>文档的嵌套深度超过 %1 层。</translation>
    </message>
    <message>
        <source>Unexpected end of the document: expected a value.</source>
        <translation>文档意外结束：应为一个值。</translation>
    </message>
    <message>
        <source>Expected a value (object, array, string, number, true, false or null).</source>
        <translation>应为一个值（对象、数组、字符串、数字、true、false 或 null）。</translation>
    </message>
    <message>
        <source>Expected a key in double quotes.</source>
        <translation>应为用双引号括起的键。</translation>
    </message>
    <message>
        <source>Expected “:” after the key.</source>
        <translation>键之后应为“:”。</translation>
    </message>
    <message>
        <source>Unexpected end of the document: expected “,” or “%1”.</source>
        <translation>文档意外结束：应为“,”或“%1”。</translation>
    </message>
    <message>
        <source>A trailing comma is not allowed in JSON.</source>
        <translation>JSON 中不允许尾随逗号。</translation>
    </message>
    <message>
        <source>Expected “,” or “%1”.</source>
        <translation>应为“,”或“%1”。</translation>
    </message>
    <message>
        <source>A control character must be escaped inside a string.</source>
        <translation>字符串中的控制字符必须转义。</translation>
    </message>
    <message>
        <source>\u must be followed by four hex digits.</source>
        <translation>\u 之后必须跟四个十六进制数字。</translation>
    </message>
    <message>
        <source>Invalid escape sequence \%1 in a string.</source>
        <translation>字符串中的转义序列 \%1 无效。</translation>
    </message>
    <message>
        <source>The string is not terminated: a closing quote is missing.</source>
        <translation>字符串未结束：缺少右引号。</translation>
    </message>
    <message>
        <source>Unknown word: expected true, false or null.</source>
        <translation>未知的单词：应为 true、false 或 null。</translation>
    </message>
    <message>
        <source>Invalid number: a digit must follow “-”.</source>
        <translation>无效的数字：“-”之后必须跟数字。</translation>
    </message>
    <message>
        <source>Invalid number: leading zeros are not allowed.</source>
        <translation>无效的数字：不允许有前导零。</translation>
    </message>
    <message>
        <source>Invalid number: a digit must follow the decimal point.</source>
        <translation>无效的数字：小数点之后必须跟数字。</translation>
    </message>
    <message>
        <source>Invalid number: the exponent has no digits.</source>
        <translation>无效的数字：指数部分没有数字。</translation>
    </message>
</context>
<context>
    <name>JsonPath</name>
    <message>
        <source>the path is empty</source>
        <translation>路径为空</translation>
    </message>
    <message>
        <source>position %1: %2</source>
        <translation>位置 %1：%2</translation>
    </message>
    <message>
        <source>expected a member name after &quot;.&quot;</source>
        <translation>&quot;.&quot; 之后应为成员名称</translation>
    </message>
    <message>
        <source>expected &quot;.&quot; or &quot;[&quot;</source>
        <translation>应为 &quot;.&quot; 或 &quot;[&quot;</translation>
    </message>
    <message>
        <source>the quoted name is not closed</source>
        <translation>带引号的名称未闭合</translation>
    </message>
    <message>
        <source>expected an index, &quot;*&quot; or a quoted name in brackets</source>
        <translation>方括号中应为索引、&quot;*&quot; 或带引号的名称</translation>
    </message>
    <message>
        <source>expected &quot;]&quot;</source>
        <translation>应为 &quot;]&quot;</translation>
    </message>
</context>
<context>
    <name>MessageDiff</name>
    <message>
        <source>The messages are too long to compare line by line.</source>
        <translation>消息太长，无法逐行比较。</translation>
    </message>
    <message>
        <source>The messages differ in more than %1 lines: too many to compare line by line.</source>
        <translation>消息有超过 %1 行不同：太多，无法逐行比较。</translation>
    </message>
</context>
<context>
    <name>MessageFormat</name>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Binary (hex)</source>
        <translation>二进制（十六进制）</translation>
    </message>
    <message>
        <source>Binary (base64)</source>
        <translation>二进制（base64）</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>JSON: line %1, column %2: %3</source>
        <translation>JSON：第 %1 行，第 %2 列：%3</translation>
    </message>
    <message>
        <source>File: no file chosen.</source>
        <translation>文件：未选择文件。</translation>
    </message>
    <message>
        <source>File: %1 does not exist.</source>
        <translation>文件：%1 不存在。</translation>
    </message>
    <message>
        <source>File: %1 is not a file.</source>
        <translation>文件：%1 不是文件。</translation>
    </message>
    <message>
        <source>File: cannot read %1: permission denied.</source>
        <translation>文件：无法读取 %1：权限被拒绝。</translation>
    </message>
    <message>
        <source>File: cannot read %1: %2.</source>
        <translation>文件：无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>Hex: “%1” at position %2 is not a hex digit.</source>
        <translation>十六进制：位置 %2 处的“%1”不是十六进制数字。</translation>
    </message>
    <message>
        <source>Hex: odd number of digits: the digit at position %1 has no pair.</source>
        <translation>十六进制：数字个数为奇数：位置 %1 处的数字没有配对。</translation>
    </message>
    <message>
        <source>Base64: “%1” at position %2 is not a base64 character.</source>
        <translation>Base64：位置 %2 处的“%1”不是 base64 字符。</translation>
    </message>
    <message>
        <source>Base64: the padding “=” at position %1 is not at the end.</source>
        <translation>Base64：位置 %1 处的填充“=”不在末尾。</translation>
    </message>
    <message>
        <source>Base64: “%1” at position %2 mixes the URL-safe alphabet (- _) with the standard one (+ /).</source>
        <translation>Base64：位置 %2 处的“%1”混用了 URL 安全字母表（- _）和标准字母表（+ /）。</translation>
    </message>
    <message>
        <source>Base64: the last group, at position %1, has one character: it takes at least two to make a byte.</source>
        <translation>Base64：位于位置 %1 的最后一组只有一个字符：至少需要两个字符才能组成一个字节。</translation>
    </message>
    <message>
        <source>Base64: the padding at position %1 does not complete a group of four.</source>
        <translation>Base64：位置 %1 处的填充没有补足四个字符一组。</translation>
    </message>
    <message>
        <source>Base64: the text is not valid base64.</source>
        <translation>Base64：该文本不是有效的 base64。</translation>
    </message>
    <message>
        <source>MessagePack (from JSON)</source>
        <translation>MessagePack（由 JSON 编码）</translation>
    </message>
    <message>
        <source>CBOR (from JSON)</source>
        <translation>CBOR（由 JSON 编码）</translation>
    </message>
    <message>
        <source>Protobuf (from JSON)</source>
        <translation>Protobuf（由 JSON 编码）</translation>
    </message>
    <message>
        <source>Protobuf: no .proto files are set for this connection (View ▸ Decoder…).</source>
        <translation>Protobuf：此连接未设置 .proto 文件（视图 ▸ 解码器…）。</translation>
    </message>
    <message>
        <source>BSON (from JSON)</source>
        <translation>BSON（由 JSON 编码）</translation>
    </message>
</context>
<context>
    <name>MqttCodec</name>
    <message>
        <source>the packet ends inside its %1</source>
        <translation>报文在其%1中途结束</translation>
    </message>
    <message>
        <source>the %1 is longer than 4 bytes</source>
        <translation>%1超过 4 字节</translation>
    </message>
    <message>
        <source>the %1 is not valid UTF-8</source>
        <translation>%1不是有效的 UTF-8</translation>
    </message>
    <message>
        <source>the %1 contains a null character</source>
        <translation>%1包含空字符</translation>
    </message>
    <message>
        <source>unknown property identifier 0x%1</source>
        <translation>未知的属性标识符 0x%1</translation>
    </message>
    <message>
        <source>a property runs past the property length</source>
        <translation>某个属性超出了属性长度</translation>
    </message>
    <message>
        <source>unknown protocol name &quot;%1&quot; (expected MQTT)</source>
        <translation>未知的协议名“%1”（应为 MQTT）</translation>
    </message>
    <message>
        <source>unsupported protocol level %1 (4 = MQTT 3.1.1, 5 = MQTT 5)</source>
        <translation>不支持的协议级别 %1（4 = MQTT 3.1.1，5 = MQTT 5）</translation>
    </message>
    <message>
        <source>the reserved connect flag is set</source>
        <translation>设置了保留的连接标志位</translation>
    </message>
    <message>
        <source>invalid will flags</source>
        <translation>遗嘱标志无效</translation>
    </message>
    <message>
        <source>PUBLISH with QoS 3</source>
        <translation>PUBLISH 的 QoS 为 3</translation>
    </message>
    <message>
        <source>PUBLISH at QoS 0 with the DUP flag</source>
        <translation>QoS 0 的 PUBLISH 设置了 DUP 标志</translation>
    </message>
    <message>
        <source>the topic name &quot;%1&quot; contains a wildcard</source>
        <translation>主题名“%1”包含通配符</translation>
    </message>
    <message>
        <source>packet identifier 0</source>
        <translation>报文标识符为 0</translation>
    </message>
    <message>
        <source>the remaining length is longer than 4 bytes</source>
        <translation>剩余长度超过 4 字节</translation>
    </message>
    <message>
        <source>packet type %1 is not an MQTT %2 packet</source>
        <translation>报文类型 %1 不是 MQTT %2 报文</translation>
    </message>
    <message>
        <source>invalid fixed header flags 0x%1</source>
        <translation>固定报头标志 0x%1 无效</translation>
    </message>
    <message>
        <source>reserved acknowledge flags are set</source>
        <translation>设置了保留的确认标志位</translation>
    </message>
    <message>
        <source>invalid subscription options 0x%1 for &quot;%2&quot;</source>
        <translation>“%2”的订阅选项 0x%1 无效</translation>
    </message>
    <message>
        <source>SUBSCRIBE without a topic filter</source>
        <translation>SUBSCRIBE 没有主题过滤器</translation>
    </message>
    <message>
        <source>no reason codes</source>
        <translation>没有原因码</translation>
    </message>
    <message>
        <source>UNSUBSCRIBE without a topic filter</source>
        <translation>UNSUBSCRIBE 没有主题过滤器</translation>
    </message>
    <message numerus="yes">
        <source>%n unexpected byte(s) at the end</source>
        <translation>
            <numerusform>末尾有 %n 个多余的字节</numerusform>
        </translation>
    </message>
    <message>
        <source>empty topic filter</source>
        <translation>主题过滤器为空</translation>
    </message>
    <message>
        <source>empty topic name</source>
        <translation>主题名为空</translation>
    </message>
    <message>
        <source>the topic is longer than 65535 bytes</source>
        <translation>主题超过 65535 字节</translation>
    </message>
    <message>
        <source>the topic name &quot;%1&quot; contains a wildcard (+ or #)</source>
        <translation>主题名“%1”包含通配符（+ 或 #）</translation>
    </message>
    <message>
        <source>in the topic filter &quot;%1&quot;, # must be a whole last level</source>
        <translation>在主题过滤器“%1”中，# 必须单独作为最后一级</translation>
    </message>
    <message>
        <source>in the topic filter &quot;%1&quot;, + must be a whole level</source>
        <translation>在主题过滤器“%1”中，+ 必须单独作为一级</translation>
    </message>
</context>
<context>
    <name>MqttProtocol</name>
    <message>
        <source>MQTT: &quot;version&quot; must be 4 (MQTT 3.1.1) or 5 (MQTT 5.0).</source>
        <translation>MQTT：“version”必须为 4（MQTT 3.1.1）或 5（MQTT 5.0）。</translation>
    </message>
    <message>
        <source>MQTT: &quot;keepAlive&quot; must be a number of seconds from 0 to 65535.</source>
        <translation>MQTT：“keepAlive”必须是 0 到 65535 之间的秒数。</translation>
    </message>
    <message>
        <source>MQTT: &quot;clientId&quot; is longer than 65535 bytes.</source>
        <translation>MQTT：“clientId”超过 65535 字节。</translation>
    </message>
    <message>
        <source>MQTT: &quot;will&quot; must be an object with &quot;topic&quot; and &quot;payload&quot;.</source>
        <translation>MQTT：“will”必须是包含“topic”和“payload”的对象。</translation>
    </message>
    <message>
        <source>MQTT: will topic: %1.</source>
        <translation>MQTT：遗嘱主题：%1。</translation>
    </message>
    <message>
        <source>MQTT: the will&apos;s &quot;qos&quot; must be 0, 1 or 2.</source>
        <translation>MQTT：遗嘱的“qos”必须为 0、1 或 2。</translation>
    </message>
    <message>
        <source>MQTT: a text message (MQTT over WebSocket sends binary messages)</source>
        <translation>MQTT：收到文本消息（基于 WebSocket 的 MQTT 使用二进制消息）</translation>
    </message>
    <message>
        <source>MQTT: %1</source>
        <translation>MQTT：%1</translation>
    </message>
    <message>
        <source>%1 (incomplete)</source>
        <translation>%1（不完整）</translation>
    </message>
    <message numerus="yes">
        <source>%n more byte(s) in the next message</source>
        <translation>
            <numerusform>另有 %n 个字节在下一条消息中</numerusform>
        </translation>
    </message>
    <message>
        <source>the packet&apos;s length is cut</source>
        <translation>报文长度字段被截断</translation>
    </message>
    <message numerus="yes">
        <source>%1 (+%n packet(s))</source>
        <translation>
            <numerusform>%1（另有 %n 个报文）</numerusform>
        </translation>
    </message>
    <message>
        <source>a packet continues in the next message</source>
        <translation>有报文延续到下一条消息</translation>
    </message>
</context>
<context>
    <name>MsgPackCodec</name>
    <message>
        <source>MessagePack: truncated at byte %1 of %2.</source>
        <translation>MessagePack：在第 %1 字节处截断（共 %2 字节）。</translation>
    </message>
    <message>
        <source>MessagePack: the JSON would be larger than %1 MiB.</source>
        <translation>MessagePack：生成的 JSON 将超过 %1 MiB。</translation>
    </message>
    <message>
        <source>MessagePack: nested deeper than %1 levels.</source>
        <translation>MessagePack：嵌套超过 %1 层。</translation>
    </message>
    <message>
        <source>MessagePack: byte %1 (0x%2) is not a valid type.</source>
        <translation>MessagePack：第 %1 字节（0x%2）不是有效的类型。</translation>
    </message>
    <message>
        <source>MessagePack: the payload is empty.</source>
        <translation>MessagePack：负载为空。</translation>
    </message>
    <message>
        <source>MessagePack: %1 bytes left over after the value that ends at byte %2.</source>
        <translation>MessagePack：在结束于第 %2 字节的值之后还剩 %1 字节。</translation>
    </message>
    <message>
        <source>MessagePack: %1.</source>
        <translation>MessagePack：%1。</translation>
    </message>
</context>
<context>
    <name>NamedEnvironment</name>
    <message>
        <source>Not JSON (at byte %1: %2).</source>
        <translation>不是 JSON（第 %1 字节处：%2）。</translation>
    </message>
    <message>
        <source>Not a wstester environment (its &quot;format&quot; is not &quot;wstester-environment&quot;).</source>
        <translation>不是 wstester 环境（其 &quot;format&quot; 不是 &quot;wstester-environment&quot;）。</translation>
    </message>
    <message>
        <source>Made by a newer wstester (environment version %1).</source>
        <translation>由更新版本的 wstester 创建（环境版本 %1）。</translation>
    </message>
    <message>
        <source>variables[%1] must have a string &quot;name&quot; and a string &quot;value&quot;.</source>
        <translation>variables[%1] 必须包含字符串 &quot;name&quot; 和字符串 &quot;value&quot;。</translation>
    </message>
    <message>
        <source>“%1” is not a valid variable name: use letters, digits, _ . and -, starting with a letter or _.</source>
        <translation>“%1”不是有效的变量名：请使用字母、数字、_、. 和 -，并以字母或 _ 开头。</translation>
    </message>
    <message>
        <source>{{%1}} is built in and cannot be redefined.</source>
        <translation>{{%1}} 是内置变量，不能重新定义。</translation>
    </message>
    <message>
        <source>{{%1}} is defined twice.</source>
        <translation>{{%1}} 被定义了两次。</translation>
    </message>
    <message>
        <source>An environment needs a name.</source>
        <translation>环境需要一个名称。</translation>
    </message>
    <message>
        <source>“%1” cannot name an environment: at most 64 characters, no leading dot or spaces around it.</source>
        <translation>“%1”不能用作环境名称：最多 64 个字符，不能以点开头，首尾不能有空格。</translation>
    </message>
    <message>
        <source>“%1” cannot name an environment: use letters, digits, spaces, _ - and .</source>
        <translation>“%1”不能用作环境名称：请使用字母、数字、空格、_、- 和 .</translation>
    </message>
</context>
<context>
    <name>NumberArgs</name>
    <message>
        <source>%1: %2 is not a whole number from %3 to %4.</source>
        <translation>%1：%2 不是 %3 到 %4 之间的整数。</translation>
    </message>
    <message>
        <source>%1: %2 is not a number of seconds from %3 to %4.</source>
        <translation>%1：%2 不是 %3 到 %4 之间的秒数。</translation>
    </message>
</context>
<context>
    <name>PayloadArgs</name>
    <message>
        <source>codec</source>
        <translation>codec</translation>
    </message>
    <message>
        <source>Look for the imports of .proto files in this folder (repeatable; the file&apos;s own folder is searched last).</source>
        <translation>在此文件夹中查找 .proto 文件的导入（可重复；文件自身所在的文件夹最后查找）。</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>“%1”: protobuf needs a file and a message type, as protobuf:FILE.proto:package.Message.</source>
        <translation>“%1”：protobuf 需要文件和消息类型，格式为 protobuf:文件.proto:包.消息。</translation>
    </message>
    <message>
        <source>--%1 is given %2 times; give it once.</source>
        <translation>--%1 给出了 %2 次；只能给一次。</translation>
    </message>
    <message>
        <source>--proto-path needs --decode or --encode with protobuf.</source>
        <translation>--proto-path 需要与使用 protobuf 的 --decode 或 --encode 一起使用。</translation>
    </message>
    <message>
        <source>Print binary messages as JSON decoded from CODEC: msgpack, cbor, bson or protobuf:FILE.proto:package.Message (with --json a “decoded” value, or a “decode_error”, is added to binary rows).</source>
        <translation>把二进制消息按 CODEC 解码为 JSON 打印：msgpack、cbor、bson 或 protobuf:文件.proto:包.消息（使用 --json 时，二进制行会附加“decoded”值或“decode_error”）。</translation>
    </message>
    <message>
        <source>Send the --send texts and the lines of standard input as binary messages: JSON encoded in CODEC (msgpack, cbor, bson or protobuf:FILE.proto:package.Message).</source>
        <translation>把 --send 的文本和标准输入的各行作为二进制消息发送：JSON 按 CODEC 编码（msgpack、cbor、bson 或 protobuf:文件.proto:包.消息）。</translation>
    </message>
    <message>
        <source>“%1” is not a codec: msgpack, cbor, bson or protobuf:FILE.proto:package.Message.</source>
        <translation>“%1”不是编解码器：可用 msgpack、cbor、bson 或 protobuf:文件.proto:包.消息。</translation>
    </message>
</context>
<context>
    <name>PayloadCodec</name>
    <message>
        <source>No decoder is set.</source>
        <translation>未设置解码器。</translation>
    </message>
    <message>
        <source>Protobuf: the payload is empty; the first byte selects the type.</source>
        <translation>Protobuf：负载为空；需要由首字节选择类型。</translation>
    </message>
    <message>
        <source>Protobuf: no message type for the first byte %1.</source>
        <translation>Protobuf：首字节 %1 没有对应的消息类型。</translation>
    </message>
    <message>
        <source>No encoder is set.</source>
        <translation>未设置编码器。</translation>
    </message>
    <message>
        <source>Protobuf: no message type to send.</source>
        <translation>Protobuf：没有用于发送的消息类型。</translation>
    </message>
</context>
<context>
    <name>PostmanImport</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Postman collection</source>
        <translation>Postman 集合</translation>
    </message>
    <message numerus="yes">
        <source>a Postman collection without WebSocket requests (ws:// or wss:// URLs): %n other request(s)</source>
        <translation>
            <numerusform>不含 WebSocket 请求（ws:// 或 wss:// URL）的 Postman 集合：%n 个其他请求</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProtoSchema</name>
    <message>
        <source>Protobuf: no .proto file chosen.</source>
        <translation>Protobuf：未选择 .proto 文件。</translation>
    </message>
    <message>
        <source>Protobuf: the import path %1 is not a folder.</source>
        <translation>Protobuf：导入路径 %1 不是文件夹。</translation>
    </message>
    <message>
        <source>Protobuf: %1 does not exist.</source>
        <translation>Protobuf：%1 不存在。</translation>
    </message>
    <message>
        <source>Protobuf: %1 is shadowed by %2, which has the same name in an earlier import path.</source>
        <translation>Protobuf：%1 被 %2 遮蔽，后者在更靠前的导入路径中同名。</translation>
    </message>
    <message>
        <source>Protobuf: cannot read %1.</source>
        <translation>Protobuf：无法读取 %1。</translation>
    </message>
    <message>
        <source>Protobuf: %1</source>
        <translation>Protobuf：%1</translation>
    </message>
    <message>
        <source>Protobuf: no message type chosen.</source>
        <translation>Protobuf：未选择消息类型。</translation>
    </message>
    <message>
        <source> (did you mean %1?)</source>
        <translation>（是否指 %1？）</translation>
    </message>
    <message>
        <source>Protobuf: the .proto files define no message type %1%2.</source>
        <translation>Protobuf：.proto 文件中没有定义消息类型 %1%2。</translation>
    </message>
    <message>
        <source>Protobuf: the bytes are not a %1 message (truncated, or a field of the wrong wire type).</source>
        <translation>Protobuf：这些字节不是 %1 消息（被截断，或某字段的线路类型不对）。</translation>
    </message>
    <message>
        <source>Protobuf: the %1 message lacks required fields: %2.</source>
        <translation>Protobuf：%1 消息缺少必填字段：%2。</translation>
    </message>
    <message>
        <source>Protobuf: cannot write %1 as JSON: %2.</source>
        <translation>Protobuf：无法把 %1 写成 JSON：%2。</translation>
    </message>
    <message>
        <source>Protobuf: the JSON is not a %1: %2.</source>
        <translation>Protobuf：该 JSON 不是 %1：%2。</translation>
    </message>
</context>
<context>
    <name>ProtocolArgs</name>
    <message>
        <source>Speak this protocol over the WebSocket: %1 (default raw).</source>
        <translation>在 WebSocket 上使用此协议：%1（默认 raw）。</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>A protocol setting, e.g. namespace=/admin, auth={&quot;token&quot;:&quot;x&quot;}, version=5 (repeatable).</source>
        <translation>协议设置，例如 namespace=/admin、auth={&quot;token&quot;:&quot;x&quot;}、version=5（可重复）。</translation>
    </message>
    <message>
        <source>key=value</source>
        <translation>键=值</translation>
    </message>
    <message>
        <source>EVENT JSON</source>
        <translation>EVENT JSON</translation>
    </message>
    <message>
        <source>Ask for a reply to each send (Socket.IO ack, STOMP receipt) and wait for it.</source>
        <translation>为每次发送请求回复（Socket.IO 确认、STOMP 回执）并等待它。</translation>
    </message>
    <message>
        <source>GraphQL: run this query, mutation or subscription (text, or @FILE).</source>
        <translation>GraphQL：运行此查询、变更或订阅（文本，或 @文件）。</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>GraphQL: the variables of the --query before it (JSON).</source>
        <translation>GraphQL：它前面那个 --query 的变量（JSON）。</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>GraphQL: the operation name of the --query before it.</source>
        <translation>GraphQL：它前面那个 --query 的操作名称。</translation>
    </message>
    <message>
        <source>STOMP: subscribe to a destination; MQTT: to a topic filter (repeatable).</source>
        <translation>STOMP：订阅一个目的地；MQTT：订阅一个主题过滤器（可重复）。</translation>
    </message>
    <message>
        <source>DEST|TOPIC</source>
        <translation>目的地|主题</translation>
    </message>
    <message>
        <source>MQTT: publish PAYLOAD to TOPIC, as two values: --publish TOPIC PAYLOAD.</source>
        <translation>MQTT：将 PAYLOAD 发布到 TOPIC，两个值：--publish TOPIC PAYLOAD。</translation>
    </message>
    <message>
        <source>TOPIC PAYLOAD</source>
        <translation>TOPIC PAYLOAD</translation>
    </message>
    <message>
        <source>STOMP: send BODY to DEST, as two values: --stomp-send DEST BODY.</source>
        <translation>STOMP：将 BODY 发送到 DEST，两个值：--stomp-send DEST BODY。</translation>
    </message>
    <message>
        <source>DEST BODY</source>
        <translation>DEST BODY</translation>
    </message>
    <message>
        <source>MQTT: the QoS of subscribes and publishes (0, 1 or 2; default 0).</source>
        <translation>MQTT：订阅和发布的 QoS（0、1 或 2；默认 0）。</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>MQTT: publish with the retain flag.</source>
        <translation>MQTT：带保留标志发布。</translation>
    </message>
    <message>
        <source>%1 needs a value.</source>
        <translation>%1 需要一个值。</translation>
    </message>
    <message>
        <source>%1 needs %2 values.</source>
        <translation>%1 需要 %2 个值。</translation>
    </message>
    <message>
        <source>--protocol: unknown protocol &quot;%1&quot; (known: %2).</source>
        <translation>--protocol：未知协议“%1”（可用：%2）。</translation>
    </message>
    <message>
        <source>--protocol-option takes KEY=VALUE, not &quot;%1&quot;.</source>
        <translation>--protocol-option 的格式是 KEY=VALUE，而不是“%1”。</translation>
    </message>
    <message>
        <source>--emit %1: the argument is not one JSON value: %2</source>
        <translation>--emit %1：参数不是单个 JSON 值：%2</translation>
    </message>
    <message>
        <source>several values (send an array for several arguments)</source>
        <translation>多个值（多个参数请放在一个数组中发送）</translation>
    </message>
    <message>
        <source>--query: cannot read %1: %2</source>
        <translation>--query：无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 belongs to a --query: give it after the --query.</source>
        <translation>%1 属于某个 --query：请写在该 --query 之后。</translation>
    </message>
    <message>
        <source>--variables must be a JSON object: %1</source>
        <translation>--variables 必须是 JSON 对象：%1</translation>
    </message>
    <message>
        <source>--qos takes 0, 1 or 2, not &quot;%1&quot;.</source>
        <translation>--qos 取 0、1 或 2，而不是“%1”。</translation>
    </message>
    <message>
        <source>protocol sends (--emit, --query, --subscribe, --publish, --stomp-send) need --protocol.</source>
        <translation>协议发送（--emit、--query、--subscribe、--publish、--stomp-send）需要 --protocol。</translation>
    </message>
    <message>
        <source>Socket.IO: emit EVENT with the JSON argument (an array: the arguments), as two values: --emit EVENT JSON (repeatable).</source>
        <translation>Socket.IO：以 JSON 参数（数组则为全部参数）发送事件 EVENT，两个值：--emit EVENT JSON（可重复）。</translation>
    </message>
</context>
<context>
    <name>ProtocolNames</name>
    <message>
        <source>Raw WebSocket</source>
        <translation>原始 WebSocket</translation>
    </message>
    <message>
        <source>Socket.IO</source>
        <translation>Socket.IO</translation>
    </message>
    <message>
        <source>GraphQL over WebSocket</source>
        <translation>GraphQL over WebSocket</translation>
    </message>
    <message>
        <source>STOMP</source>
        <translation>STOMP</translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation>MQTT</translation>
    </message>
</context>
<context>
    <name>ProtocolOptions</name>
    <message>
        <source>&quot;protocol.name&quot; must be a string.</source>
        <translation>“protocol.name”必须是字符串。</translation>
    </message>
    <message>
        <source>&quot;protocol&quot; must be an object or a name.</source>
        <translation>“protocol”必须是对象或名称。</translation>
    </message>
    <message>
        <source>Unknown protocol &quot;%1&quot; (known: %2).</source>
        <translation>未知协议“%1”（可用：%2）。</translation>
    </message>
</context>
<context>
    <name>ProxyOptions</name>
    <message>
        <source>The upstream URL is missing or not valid.</source>
        <translation>上游 URL 缺失或无效。</translation>
    </message>
    <message>
        <source>The upstream URL must start with ws:// or wss://, not “%1”.</source>
        <translation>上游 URL 必须以 ws:// 或 wss:// 开头，而不是“%1”。</translation>
    </message>
    <message>
        <source>A certificate needs its key file, and a key its certificate file.</source>
        <translation>证书需要其密钥文件，密钥也需要其证书文件。</translation>
    </message>
    <message>
        <source>The largest message size cannot be negative.</source>
        <translation>最大消息大小不能为负数。</translation>
    </message>
    <message>
        <source>At least one message must be allowed to be held.</source>
        <translation>必须至少允许扣留一条消息。</translation>
    </message>
    <message>
        <source>The breakpoint pattern “%1” is not a valid regular expression.</source>
        <translation>断点模式“%1”不是有效的正则表达式。</translation>
    </message>
</context>
<context>
    <name>ProxyRequest</name>
    <message>
        <source>The request has no request line.</source>
        <translation>请求没有请求行。</translation>
    </message>
    <message>
        <source>The request line “%1” is not METHOD TARGET VERSION.</source>
        <translation>请求行“%1”不是 METHOD TARGET VERSION 形式。</translation>
    </message>
    <message>
        <source>The request is not HTTP/1.x (“%1”).</source>
        <translation>请求不是 HTTP/1.x（“%1”）。</translation>
    </message>
    <message>
        <source>Header line %1 has no name before a colon.</source>
        <translation>第 %1 行请求头的冒号前没有名称。</translation>
    </message>
    <message>
        <source>The request has more than %1 headers.</source>
        <translation>请求的请求头超过 %1 个。</translation>
    </message>
    <message>
        <source>CONNECT target “%1” is not host:port.</source>
        <translation>CONNECT 目标“%1”不是 host:port 形式。</translation>
    </message>
</context>
<context>
    <name>ProxySettingsJson</name>
    <message>
        <source>A breakpoint&apos;s “direction” must be “both”, “to-server” or “to-client”.</source>
        <translation>断点的“direction”必须是“both”、“to-server”或“to-client”。</translation>
    </message>
    <message>
        <source>A breakpoint&apos;s “match” must be “exact”, “contains”, “regex” or “json”.</source>
        <translation>断点的“match”必须是“exact”、“contains”、“regex”或“json”。</translation>
    </message>
    <message>
        <source>A breakpoint&apos;s regular expression is not valid at offset %1: %2</source>
        <translation>断点的正则表达式在偏移 %1 处无效：%2</translation>
    </message>
    <message>
        <source>A breakpoint that matches a JSON field needs the field&apos;s path.</source>
        <translation>匹配 JSON 字段的断点需要字段路径。</translation>
    </message>
    <message>
        <source>The proxy setting “%1” has the wrong type.</source>
        <translation>代理设置“%1”的类型错误。</translation>
    </message>
</context>
<context>
    <name>RecordOption</name>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Capture every message and event into this session file (.wstsession), which the window can open later; an existing session gets one more tab.</source>
        <translation>将每条消息和事件捕获到此会话文件（.wstsession）中，之后可在窗口中打开；若会话已存在，则会在其中新增一个标签页。</translation>
    </message>
</context>
<context>
    <name>ReplyRules</name>
    <message>
        <source>The rules are not valid JSON: %1 at offset %2.</source>
        <translation>规则不是有效的 JSON：%1（偏移量 %2）。</translation>
    </message>
    <message>
        <source>The rules document has no rules: expected {&quot;rules&quot;: [ ... ]}.</source>
        <translation>规则文档中没有规则：应为 {&quot;rules&quot;: [ ... ]}。</translation>
    </message>
    <message>
        <source>Rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <source>%1: &quot;match&quot; must be &quot;exact&quot;, &quot;contains&quot;, &quot;regex&quot; or &quot;json&quot;.</source>
        <translation>%1：&quot;match&quot; 必须是 &quot;exact&quot;、&quot;contains&quot;、&quot;regex&quot; 或 &quot;json&quot;。</translation>
    </message>
    <message>
        <source>%1: &quot;actions&quot; is missing or empty.</source>
        <translation>%1：&quot;actions&quot; 缺失或为空。</translation>
    </message>
    <message>
        <source>%1: &quot;delay&quot; must be a number of milliseconds.</source>
        <translation>%1：&quot;delay&quot; 必须是毫秒数。</translation>
    </message>
    <message>
        <source>Cannot read the rules file %1: %2.</source>
        <translation>无法读取规则文件 %1：%2。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>the regular expression is not valid at offset %1: %2.</source>
        <translation>正则表达式在偏移量 %1 处无效：%2。</translation>
    </message>
    <message>
        <source>a JSON field match needs a field path, such as op.</source>
        <translation>JSON 字段匹配需要一个字段路径，例如 op。</translation>
    </message>
    <message>
        <source>add at least one action (a reply, a delay or a close).</source>
        <translation>请至少添加一个动作（回复、延迟或关闭）。</translation>
    </message>
    <message>
        <source>action %1: the delay cannot be negative.</source>
        <translation>动作 %1：延迟不能为负数。</translation>
    </message>
    <message>
        <source>action %1: %2</source>
        <translation>动作 %1：%2</translation>
    </message>
    <message>
        <source>= “%1”</source>
        <translation>= “%1”</translation>
    </message>
    <message>
        <source>contains “%1”</source>
        <translation>包含“%1”</translation>
    </message>
    <message>
        <source>/%1/</source>
        <translation>/%1/</translation>
    </message>
    <message>
        <source>has %1</source>
        <translation>含有 %1</translation>
    </message>
    <message>
        <source>%1 = “%2”</source>
        <translation>%1 = “%2”</translation>
    </message>
    <message>
        <source>reply “%1”</source>
        <translation>回复“%1”</translation>
    </message>
    <message>
        <source>wait %1 ms</source>
        <translation>等待 %1 毫秒</translation>
    </message>
    <message>
        <source>close %1</source>
        <translation>关闭 %1</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无动作</translation>
    </message>
    <message>
        <source>the JSON path %1 is not valid: %2.</source>
        <translation>JSON 路径 %1 无效：%2。</translation>
    </message>
    <message>
        <source>%1: each action is {&quot;reply&quot;: TEXT}, {&quot;broadcast&quot;: TEXT}, {&quot;delay&quot;: MS} or {&quot;close&quot;: CODE, &quot;reason&quot;: TEXT}.</source>
        <translation>%1：每个动作应为 {&quot;reply&quot;: TEXT}、{&quot;broadcast&quot;: TEXT}、{&quot;delay&quot;: MS} 或 {&quot;close&quot;: CODE, &quot;reason&quot;: TEXT}。</translation>
    </message>
    <message>
        <source>to the others “%1”</source>
        <translation>发给其他客户端“%1”</translation>
    </message>
    <message>
        <source>&quot;faults&quot; must be a list of fault specs, e.g. [&quot;delay=300&quot;].</source>
        <translation>&quot;faults&quot; 必须是故障规格的列表，例如 [&quot;delay=300&quot;]。</translation>
    </message>
    <message>
        <source>%1 (faults: %2)</source>
        <translation>%1（故障：%2）</translation>
    </message>
    <message>
        <source>a rule&apos;s faults can be delay, drop, fragment, corrupt and seed only (the others are the server&apos;s).</source>
        <translation>规则的故障只能是 delay、drop、fragment、corrupt 和 seed（其他属于服务器）。</translation>
    </message>
</context>
<context>
    <name>RequestVariables</name>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Header %1</source>
        <translation>请求头 %1</translation>
    </message>
    <message>
        <source>Subprotocol</source>
        <translation>子协议</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>Origin</translation>
    </message>
</context>
<context>
    <name>SavedMessage</name>
    <message>
        <source>Unknown message format “%1”.</source>
        <translation>未知的消息格式“%1”。</translation>
    </message>
    <message>
        <source>“%1” must be a string.</source>
        <translation>“%1”必须是字符串。</translation>
    </message>
    <message>
        <source>Saved message %1 is not an object.</source>
        <translation>已保存的消息 %1 不是对象。</translation>
    </message>
    <message>
        <source>Saved message %1: %2</source>
        <translation>已保存的消息 %1：%2</translation>
    </message>
    <message>
        <source>“format” must be text, json, hex or base64, not “%1”.</source>
        <translation>“format”必须是 text、json、hex 或 base64，而不是“%1”。</translation>
    </message>
</context>
<context>
    <name>ScenarioMatcher</name>
    <message>
        <source>&quot;regex&quot; is not a valid regular expression at offset %1: %2.</source>
        <translation>&quot;regex&quot; 在偏移量 %1 处不是有效的正则表达式：%2。</translation>
    </message>
    <message>
        <source>%1: not a valid regular expression at offset %2: %3.</source>
        <translation>%1：在偏移量 %2 处不是有效的正则表达式：%3。</translation>
    </message>
    <message>
        <source>text %1</source>
        <translation>文本 %1</translation>
    </message>
    <message>
        <source>contains %1</source>
        <translation>包含 %1</translation>
    </message>
    <message>
        <source>regex /%1/</source>
        <translation>正则 /%1/</translation>
    </message>
    <message>
        <source>%1 exists</source>
        <translation>%1 存在</translation>
    </message>
    <message>
        <source>%1 does not exist</source>
        <translation>%1 不存在</translation>
    </message>
    <message>
        <source>%1 matches /%2/</source>
        <translation>%1 匹配 /%2/</translation>
    </message>
    <message>
        <source>binary %1</source>
        <translation>二进制 %1</translation>
    </message>
    <message>
        <source>binary (base64) %1</source>
        <translation>二进制 (base64) %1</translation>
    </message>
    <message>
        <source>any message</source>
        <translation>任意消息</translation>
    </message>
    <message>
        <source> and </source>
        <translation> 且 </translation>
    </message>
    <message>
        <source>cannot save {{%1}}: the message is not JSON.</source>
        <translation>无法保存 {{%1}}：该消息不是 JSON。</translation>
    </message>
    <message>
        <source>cannot save {{%1}}: the message has nothing at %2.</source>
        <translation>无法保存 {{%1}}：该消息在 %2 处没有内容。</translation>
    </message>
    <message>
        <source>cannot save {{%1}}: /%2/ does not match the message (group %3).</source>
        <translation>无法保存 {{%1}}：/%2/ 与该消息不匹配（分组 %3）。</translation>
    </message>
    <message>
        <source>binary %1 bytes: %2%3</source>
        <translation>二进制 %1 字节：%2%3</translation>
    </message>
    <message>
        <source>type %1</source>
        <translation>类型 %1</translation>
    </message>
    <message>
        <source>id %1</source>
        <translation>id %1</translation>
    </message>
    <message>
        <source>QoS %1</source>
        <translation>QoS %1</translation>
    </message>
</context>
<context>
    <name>ScenarioParser</name>
    <message>
        <source>%1: cannot read the scenario: %2.</source>
        <translation>%1：无法读取场景：%2。</translation>
    </message>
    <message>
        <source>%1%2:%3: %4%5</source>
        <translation>%1%2:%3: %4%5</translation>
    </message>
    <message>
        <source>%1%2:%3: not valid JSON: %4.</source>
        <translation>%1%2:%3: 不是有效的 JSON：%4。</translation>
    </message>
    <message>
        <source>%1 a scenario is a JSON object with &quot;connections&quot; and &quot;steps&quot;.</source>
        <translation>%1 场景应为包含 &quot;connections&quot; 和 &quot;steps&quot; 的 JSON 对象。</translation>
    </message>
    <message>
        <source>a scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>&quot;name&quot; must be a string.</source>
        <translation>&quot;name&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>&quot;steps&quot; must be a list of at least one step.</source>
        <translation>&quot;steps&quot; 必须是至少包含一个步骤的列表。</translation>
    </message>
    <message>
        <source>step %1: </source>
        <translation>第 %1 步: </translation>
    </message>
    <message>
        <source>a step is a JSON object such as {&quot;send&quot;: &quot;a&quot;, &quot;text&quot;: &quot;hi&quot;}.</source>
        <translation>步骤是一个 JSON 对象，例如 {&quot;send&quot;: &quot;a&quot;, &quot;text&quot;: &quot;hi&quot;}。</translation>
    </message>
    <message>
        <source>unknown key %1 in %2 (expected one of: %3).</source>
        <translation>%2 中有未知的键 %1（应为以下之一：%3）。</translation>
    </message>
    <message>
        <source>&quot;variables&quot; must be an object of names and values.</source>
        <translation>&quot;variables&quot; 必须是由名称和值组成的对象。</translation>
    </message>
    <message>
        <source>variable %1: not a name that can be used as {{name}}.</source>
        <translation>变量 %1：不是可用作 {{name}} 的名称。</translation>
    </message>
    <message>
        <source>variable %1: the value must be a string, a number or true/false.</source>
        <translation>变量 %1：值必须是字符串、数字或 true/false。</translation>
    </message>
    <message>
        <source>&quot;connections&quot; must name at least one connection: {&quot;a&quot;: {&quot;url&quot;: &quot;ws://…&quot;}}.</source>
        <translation>&quot;connections&quot; 必须至少指定一个连接：{&quot;a&quot;: {&quot;url&quot;: &quot;ws://…&quot;}}。</translation>
    </message>
    <message>
        <source>connection %1: </source>
        <translation>连接 %1: </translation>
    </message>
    <message>
        <source>a connection needs a name.</source>
        <translation>连接需要一个名称。</translation>
    </message>
    <message>
        <source>a connection is {&quot;url&quot;: &quot;ws://…&quot;} or just the URL.</source>
        <translation>连接应写为 {&quot;url&quot;: &quot;ws://…&quot;}，或直接写 URL。</translation>
    </message>
    <message>
        <source>a connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>&quot;url&quot; must be a ws:// or wss:// URL.</source>
        <translation>&quot;url&quot; 必须是 ws:// 或 wss:// URL。</translation>
    </message>
    <message>
        <source>&quot;headers&quot; must be an object of names and values.</source>
        <translation>&quot;headers&quot; 必须是由名称和值组成的对象。</translation>
    </message>
    <message>
        <source>header %1: the value must be a string.</source>
        <translation>请求头 %1：值必须是字符串。</translation>
    </message>
    <message>
        <source>header %1: %2</source>
        <translation>请求头 %1：%2</translation>
    </message>
    <message>
        <source>&quot;subprotocols&quot; must be a list of names.</source>
        <translation>&quot;subprotocols&quot; 必须是名称列表。</translation>
    </message>
    <message>
        <source>&quot;origin&quot; must be a string.</source>
        <translation>&quot;origin&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>%1 must be a number of milliseconds.</source>
        <translation>%1 必须是毫秒数。</translation>
    </message>
    <message>
        <source>%1 must name a connection, such as &quot;a&quot;.</source>
        <translation>%1 必须指定一个连接名称，例如 &quot;a&quot;。</translation>
    </message>
    <message>
        <source>%1: no connection named %2 (the file declares %3).</source>
        <translation>%1：没有名为 %2 的连接（文件中声明的是 %3）。</translation>
    </message>
    <message>
        <source>%1 is not a valid regular expression at offset %2: %3.</source>
        <translation>%1 在偏移量 %2 处不是有效的正则表达式：%3。</translation>
    </message>
    <message>
        <source>a step does one thing: this one has both %1 and %2.</source>
        <translation>一个步骤只做一件事：此步骤同时包含 %1 和 %2。</translation>
    </message>
    <message>
        <source>a &quot;%1&quot; step</source>
        <translation>&quot;%1&quot; 步骤</translation>
    </message>
    <message>
        <source>&quot;wait&quot; must be a number of milliseconds.</source>
        <translation>&quot;wait&quot; 必须是毫秒数。</translation>
    </message>
    <message>
        <source>&quot;payload&quot; must be a string.</source>
        <translation>&quot;payload&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>&quot;payload&quot; is longer than a ping can carry (125 bytes).</source>
        <translation>&quot;payload&quot; 超出了 ping 可携带的长度（125 字节）。</translation>
    </message>
    <message>
        <source>&quot;strict&quot; must be true or false.</source>
        <translation>&quot;strict&quot; 必须是 true 或 false。</translation>
    </message>
    <message>
        <source>&quot;close&quot; must be a close code (1000-4999) or true for any.</source>
        <translation>&quot;close&quot; 必须是关闭码（1000-4999），或为 true 表示任意关闭码。</translation>
    </message>
    <message>
        <source>an expected close has no message: %1 cannot be used with &quot;close&quot;.</source>
        <translation>期望的关闭没有消息：%1 不能与 &quot;close&quot; 一起使用。</translation>
    </message>
    <message>
        <source>&quot;expect&quot; of a connect step is {&quot;status&quot;: 101, &quot;subprotocol&quot;: …, &quot;headers&quot;: {…}}.</source>
        <translation>connect 步骤的 &quot;expect&quot; 形如 {&quot;status&quot;: 101, &quot;subprotocol&quot;: …, &quot;headers&quot;: {…}}。</translation>
    </message>
    <message>
        <source>a connect step&apos;s &quot;expect&quot;</source>
        <translation>connect 步骤的 &quot;expect&quot;</translation>
    </message>
    <message>
        <source>&quot;status&quot; must be an HTTP status code such as 101 or 403.</source>
        <translation>&quot;status&quot; 必须是 HTTP 状态码，例如 101 或 403。</translation>
    </message>
    <message>
        <source>&quot;subprotocol&quot; must be a string (&quot;&quot; for none).</source>
        <translation>&quot;subprotocol&quot; 必须是字符串（&quot;&quot; 表示无）。</translation>
    </message>
    <message>
        <source>header %1: the value must be a string, or true for any value.</source>
        <translation>响应头 %1：值必须是字符串，或为 true 表示任意值。</translation>
    </message>
    <message>
        <source>%1 must be a string.</source>
        <translation>%1 必须是字符串。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>&quot;code&quot; must be a close code such as 1000.</source>
        <translation>&quot;code&quot; 必须是关闭码，例如 1000。</translation>
    </message>
    <message>
        <source>&quot;reason&quot; must be a string.</source>
        <translation>&quot;reason&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>&quot;expect&quot; of a close step is {&quot;code&quot;: 1000}: the code the server&apos;s Close frame carries.</source>
        <translation>close 步骤的 &quot;expect&quot; 形如 {&quot;code&quot;: 1000}：即服务器 Close 帧携带的关闭码。</translation>
    </message>
    <message>
        <source>&quot;json&quot; must map JSON paths to values: {&quot;$.op&quot;: &quot;welcome&quot;}.</source>
        <translation>&quot;json&quot; 必须将 JSON 路径映射到值：{&quot;$.op&quot;: &quot;welcome&quot;}。</translation>
    </message>
    <message>
        <source>the JSON path %1 is not valid: %2.</source>
        <translation>JSON 路径 %1 无效：%2。</translation>
    </message>
    <message>
        <source>%1: &quot;exists&quot; must be true or false.</source>
        <translation>%1：&quot;exists&quot; 必须是 true 或 false。</translation>
    </message>
    <message>
        <source>%1: &quot;matches&quot; must be a regular expression.</source>
        <translation>%1：&quot;matches&quot; 必须是正则表达式。</translation>
    </message>
    <message>
        <source>%1: %2 must be compared with a number.</source>
        <translation>%1：%2 必须与数字进行比较。</translation>
    </message>
    <message>
        <source>&quot;save&quot; maps variable names to JSON paths: {&quot;token&quot;: &quot;$.token&quot;}.</source>
        <translation>&quot;save&quot; 将变量名映射到 JSON 路径：{&quot;token&quot;: &quot;$.token&quot;}。</translation>
    </message>
    <message>
        <source>&quot;save&quot;: %1 is not a name that can be used as {{name}}.</source>
        <translation>&quot;save&quot;：%1 不是可用作 {{name}} 的名称。</translation>
    </message>
    <message>
        <source>&quot;save&quot;: %1: &quot;group&quot; must be a group number.</source>
        <translation>&quot;save&quot;：%1：&quot;group&quot; 必须是分组编号。</translation>
    </message>
    <message>
        <source>&quot;save&quot;: %1: not a valid regular expression at offset %2: %3.</source>
        <translation>&quot;save&quot;：%1：在偏移量 %2 处不是有效的正则表达式：%3。</translation>
    </message>
    <message>
        <source>&quot;save&quot;: %1: the expression has no group %2.</source>
        <translation>&quot;save&quot;：%1：该表达式没有分组 %2。</translation>
    </message>
    <message>
        <source>&quot;save&quot;: %1 needs a JSON path (&quot;$.token&quot;) or {&quot;regex&quot;: …, &quot;group&quot;: 1}%2.</source>
        <translation>&quot;save&quot;：%1 需要 JSON 路径（&quot;$.token&quot;）或 {&quot;regex&quot;: …, &quot;group&quot;: 1}%2。</translation>
    </message>
    <message>
        <source>%1 must be JavaScript: a string, or a list of lines.</source>
        <translation>%1 必须是 JavaScript：一个字符串，或一组行。</translation>
    </message>
    <message>
        <source>%1 has no JavaScript in it.</source>
        <translation>%1 中没有 JavaScript 代码。</translation>
    </message>
    <message>
        <source>a script has exactly one of &quot;code&quot; (JavaScript) or &quot;file&quot; (a .js file).</source>
        <translation>脚本必须且只能包含 &quot;code&quot;（JavaScript）或 &quot;file&quot;（.js 文件）之一。</translation>
    </message>
    <message>
        <source>&quot;timeout&quot; must be 1 to %1 milliseconds.</source>
        <translation>&quot;timeout&quot; 必须是 1 到 %1 毫秒。</translation>
    </message>
    <message>
        <source>&quot;file&quot; must be the path of a JavaScript file.</source>
        <translation>&quot;file&quot; 必须是 JavaScript 文件的路径。</translation>
    </message>
    <message>
        <source>&quot;file&quot;: %1 is not a file.</source>
        <translation>&quot;file&quot;：%1 不是文件。</translation>
    </message>
    <message>
        <source>&quot;file&quot;: %1 is larger than 1 MiB.</source>
        <translation>&quot;file&quot;：%1 大于 1 MiB。</translation>
    </message>
    <message>
        <source>&quot;file&quot;: cannot read %1: %2.</source>
        <translation>&quot;file&quot;：无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>&quot;file&quot;: %1 has no JavaScript in it.</source>
        <translation>&quot;file&quot;：%1 中没有 JavaScript 代码。</translation>
    </message>
    <message>
        <source>&quot;onMessage&quot;</source>
        <translation>&quot;onMessage&quot;</translation>
    </message>
    <message>
        <source>a &quot;script&quot; step</source>
        <translation>&quot;script&quot; 步骤</translation>
    </message>
    <message>
        <source>a step needs one of &quot;connect&quot;, &quot;send&quot;, &quot;expect&quot;, &quot;expectNone&quot;, &quot;wait&quot;, &quot;ping&quot;, &quot;close&quot;, &quot;script&quot; or &quot;command&quot;.</source>
        <translation>步骤需要 &quot;connect&quot;、&quot;send&quot;、&quot;expect&quot;、&quot;expectNone&quot;、&quot;wait&quot;、&quot;ping&quot;、&quot;close&quot;、&quot;script&quot; 或 &quot;command&quot; 之一。</translation>
    </message>
    <message>
        <source>%1 must be a string or a whole number.</source>
        <translation>%1 必须是字符串或整数。</translation>
    </message>
    <message>
        <source>&quot;protocol&quot;: %1</source>
        <translation>&quot;protocol&quot;：%1</translation>
    </message>
    <message>
        <source>a &quot;command&quot; step</source>
        <translation>&quot;command&quot; 步骤</translation>
    </message>
    <message>
        <source>connection %1 speaks plain WebSocket: give it a &quot;protocol&quot; (socket.io, graphql-ws, stomp or mqtt) to send protocol commands.</source>
        <translation>连接 %1 使用普通 WebSocket：请为它指定 &quot;protocol&quot;（socket.io、graphql-ws、stomp 或 mqtt）才能发送协议命令。</translation>
    </message>
    <message>
        <source>a command step needs a &quot;verb&quot;, such as &quot;emit&quot;, &quot;subscribe&quot; or &quot;publish&quot;.</source>
        <translation>command 步骤需要 &quot;verb&quot;，例如 &quot;emit&quot;、&quot;subscribe&quot; 或 &quot;publish&quot;。</translation>
    </message>
    <message>
        <source>%1 cannot do %2 (it can: %3).</source>
        <translation>%1 不支持 %2（支持：%3）。</translation>
    </message>
    <message>
        <source>&quot;reply&quot; must be true or false.</source>
        <translation>&quot;reply&quot; 必须是 true 或 false。</translation>
    </message>
    <message>
        <source>&quot;save&quot; reads the reply: it needs &quot;reply&quot;: true.</source>
        <translation>&quot;save&quot; 读取的是回复：需要 &quot;reply&quot;: true。</translation>
    </message>
    <message>
        <source>%1 and %2 both name the command&apos;s target: give one.</source>
        <translation>%1 和 %2 都指定了命令的目标：只能给出一个。</translation>
    </message>
    <message>
        <source>give either &quot;query&quot; or &quot;data&quot;, not both.</source>
        <translation>请给出 &quot;query&quot; 或 &quot;data&quot; 之一，不能同时给出。</translation>
    </message>
    <message>
        <source>&quot;query&quot; must be the GraphQL document, as a string.</source>
        <translation>&quot;query&quot; 必须是 GraphQL 文档（字符串）。</translation>
    </message>
    <message>
        <source>&quot;variables&quot; must be a JSON object.</source>
        <translation>&quot;variables&quot; 必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>&quot;operationName&quot; must be a string.</source>
        <translation>&quot;operationName&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>&quot;variables&quot; and &quot;operationName&quot; belong to a &quot;query&quot;.</source>
        <translation>&quot;variables&quot; 和 &quot;operationName&quot; 须与 &quot;query&quot; 一起使用。</translation>
    </message>
    <message>
        <source>give either &quot;body&quot; or &quot;payload&quot;, not both.</source>
        <translation>请给出 &quot;body&quot; 或 &quot;payload&quot; 之一，不能同时给出。</translation>
    </message>
    <message>
        <source>&quot;qos&quot; must be 0, 1 or 2.</source>
        <translation>&quot;qos&quot; 必须是 0、1 或 2。</translation>
    </message>
    <message>
        <source>&quot;retain&quot; must be true or false.</source>
        <translation>&quot;retain&quot; 必须是 true 或 false。</translation>
    </message>
    <message>
        <source>&quot;options&quot; must be an object, such as {&quot;ack&quot;: &quot;client&quot;} for a STOMP subscribe.</source>
        <translation>&quot;options&quot; 必须是对象，例如 STOMP 订阅的 {&quot;ack&quot;: &quot;client&quot;}。</translation>
    </message>
    <message>
        <source>%1 and %2 both name the message&apos;s event, topic or destination: give one.</source>
        <translation>%1 和 %2 都指定了消息的事件、主题或目的地：只能给出一个。</translation>
    </message>
    <message>
        <source>&quot;raw&quot; must be true or false.</source>
        <translation>&quot;raw&quot; 必须是 true 或 false。</translation>
    </message>
    <message>
        <source>%1 is a protocol condition: it cannot be used with &quot;raw&quot;: true.</source>
        <translation>%1 是协议条件：不能与 &quot;raw&quot;: true 一起使用。</translation>
    </message>
    <message>
        <source>%1 needs a connection with a &quot;protocol&quot; (connection %2 speaks plain WebSocket).</source>
        <translation>%1 需要设置了 &quot;protocol&quot; 的连接（连接 %2 使用普通 WebSocket）。</translation>
    </message>
    <message>
        <source>&quot;decoder&quot; must be an object such as {&quot;codec&quot;: &quot;protobuf&quot;, &quot;protoFiles&quot;: [&quot;feed.proto&quot;], &quot;typeIn&quot;: &quot;feed.Event&quot;, &quot;typeOut&quot;: &quot;feed.Command&quot;}.</source>
        <translation>&quot;decoder&quot; 必须是对象，例如 {&quot;codec&quot;: &quot;protobuf&quot;, &quot;protoFiles&quot;: [&quot;feed.proto&quot;], &quot;typeIn&quot;: &quot;feed.Event&quot;, &quot;typeOut&quot;: &quot;feed.Command&quot;}。</translation>
    </message>
    <message>
        <source>&quot;protobuf&quot;: connection %1 has no protobuf &quot;decoder&quot; to encode with; give it one, such as &quot;decoder&quot;: {&quot;codec&quot;: &quot;protobuf&quot;, &quot;protoFiles&quot;: [&quot;feed.proto&quot;], &quot;typeOut&quot;: &quot;feed.Command&quot;}.</source>
        <translation>&quot;protobuf&quot;：连接 %1 没有可用于编码的 protobuf &quot;decoder&quot;；请为它指定一个，例如 &quot;decoder&quot;: {&quot;codec&quot;: &quot;protobuf&quot;, &quot;protoFiles&quot;: [&quot;feed.proto&quot;], &quot;typeOut&quot;: &quot;feed.Command&quot;}。</translation>
    </message>
    <message>
        <source>a send step has exactly one of &quot;text&quot;, &quot;json&quot;, &quot;hex&quot;, &quot;base64&quot;, &quot;file&quot;, &quot;msgpack&quot;, &quot;cbor&quot;, &quot;bson&quot; or &quot;protobuf&quot;.</source>
        <translation>send 步骤必须且只能包含 &quot;text&quot;、&quot;json&quot;、&quot;hex&quot;、&quot;base64&quot;、&quot;file&quot;、&quot;msgpack&quot;、&quot;cbor&quot;、&quot;bson&quot; 或 &quot;protobuf&quot; 之一。</translation>
    </message>
</context>
<context>
    <name>ScenarioRecorder</name>
    <message>
        <source>Recorded from %1</source>
        <translation>录制自 %1</translation>
    </message>
    <message>
        <source>Set these variables before running (an environment, or --var name=value): %1.</source>
        <translation>运行前请设置这些变量（在环境中，或使用 --var name=value）：%1。</translation>
    </message>
</context>
<context>
    <name>ScenarioReport</name>
    <message>
        <source>pending</source>
        <translation>待运行</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>connect %1</source>
        <translation>连接 %1</translation>
    </message>
    <message>
        <source>send %1: %2 %3</source>
        <translation>发送 %1：%2 %3</translation>
    </message>
    <message>
        <source>expect %1: %2 within %3 ms%4</source>
        <translation>期望 %1：%3 毫秒内收到 %2%4</translation>
    </message>
    <message>
        <source> (strict)</source>
        <translation> (严格)</translation>
    </message>
    <message>
        <source>expect none %1: %2 for %3 ms</source>
        <translation>期望 %1：%3 毫秒内不收到 %2</translation>
    </message>
    <message>
        <source>expect %1 closed within %2 ms</source>
        <translation>期望 %1 在 %2 毫秒内关闭</translation>
    </message>
    <message>
        <source>expect %1 closed with %2 within %3 ms</source>
        <translation>期望 %1 在 %3 毫秒内以 %2 关闭</translation>
    </message>
    <message>
        <source>wait %1 ms</source>
        <translation>等待 %1 毫秒</translation>
    </message>
    <message>
        <source>ping %1, pong within %2 ms</source>
        <translation>ping %1，%2 毫秒内收到 pong</translation>
    </message>
    <message>
        <source>close %1 with %2</source>
        <translation>以 %2 关闭 %1</translation>
    </message>
    <message>
        <source>script: %1</source>
        <translation>脚本：%1</translation>
    </message>
    <message>
        <source>script %1: %2</source>
        <translation>脚本 %1：%2</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2：%3</translation>
    </message>
    <message>
        <source>%1, reply within %2 ms</source>
        <translation>%1，%2 毫秒内回复</translation>
    </message>
</context>
<context>
    <name>ScenarioScript</name>
    <message>
        <source>expected a true value, got %1</source>
        <translation>期望为真值，实际为 %1</translation>
    </message>
    <message>
        <source>expected %1, got %2</source>
        <translation>期望 %1，实际为 %2</translation>
    </message>
    <message>
        <source>expected anything but %1</source>
        <translation>期望不等于 %1</translation>
    </message>
    <message>
        <source>expected %1 to match %2</source>
        <translation>期望 %1 匹配 %2</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>sendBinary: the data must be an ArrayBuffer, a typed array or an array of byte values.</source>
        <translation>sendBinary：数据必须是 ArrayBuffer、类型化数组或字节值数组。</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>stopped: the script ran past its time limit of %1 ms.</source>
        <translation>已停止：脚本运行超过了 %1 毫秒的时间限制。</translation>
    </message>
    <message>
        <source>%1: stopped: the script ran past its time limit of %2 ms.</source>
        <translation>%1：已停止：脚本运行超过了 %2 毫秒的时间限制。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>ServerFrameStage</name>
    <message>
        <source>The client sent an unmasked frame (RFC 6455 section 5.1).</source>
        <translation>客户端发送了未掩码的帧（RFC 6455 第 5.1 节）。</translation>
    </message>
    <message>
        <source>The client set RSV1 without permessage-deflate agreed (RFC 6455 section 5.2).</source>
        <translation>未协商 permessage-deflate，客户端却设置了 RSV1（RFC 6455 第 5.2 节）。</translation>
    </message>
    <message>
        <source>The client set RSV1 on a control frame (RFC 7692 section 6.1).</source>
        <translation>客户端在控制帧上设置了 RSV1（RFC 7692 第 6.1 节）。</translation>
    </message>
    <message>
        <source>The client set RSV1 on a continuation frame (RFC 7692 section 6.1).</source>
        <translation>客户端在延续帧上设置了 RSV1（RFC 7692 第 6.1 节）。</translation>
    </message>
    <message>
        <source>The client began a new message inside a compressed fragmented one.</source>
        <translation>客户端在一条压缩的分片消息中开始了新消息。</translation>
    </message>
    <message>
        <source>A message from the client is over the %1-byte limit.</source>
        <translation>客户端的消息超过了 %1 字节的上限。</translation>
    </message>
    <message>
        <source>A compressed message from the client inflates to more than the %1-byte limit.</source>
        <translation>客户端的压缩消息解压后超过了 %1 字节的上限。</translation>
    </message>
    <message>
        <source>The client sent invalid deflate data (%1).</source>
        <translation>客户端发送了无效的 deflate 数据（%1）。</translation>
    </message>
</context>
<context>
    <name>ServerOptions</name>
    <message>
        <source>The address to listen on is not valid.</source>
        <translation>要监听的地址无效。</translation>
    </message>
    <message>
        <source>wss:// needs both a certificate file and a key file.</source>
        <translation>wss:// 需要同时提供证书文件和密钥文件。</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <source>The reply-rules behaviour needs at least one rule.</source>
        <translation>“回复规则”行为至少需要一条规则。</translation>
    </message>
    <message>
        <source>Intervals and limits cannot be negative.</source>
        <translation>间隔和限制不能为负数。</translation>
    </message>
    <message>
        <source>The periodic push interval must be at least 10 ms.</source>
        <translation>定时推送间隔至少为 10 毫秒。</translation>
    </message>
    <message>
        <source>The maximum message size can be at most %1 bytes (Qt&apos;s own limit).</source>
        <translation>最大消息大小不能超过 %1 字节（Qt 自身的上限）。</translation>
    </message>
</context>
<context>
    <name>ServerSettingsJson</name>
    <message>
        <source>The server setting “%1” has the wrong type.</source>
        <translation>服务器设置“%1”的类型错误。</translation>
    </message>
</context>
<context>
    <name>SessionExport</name>
    <message>
        <source>Cannot write the export: %1</source>
        <translation>无法写入导出文件：%1</translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <source>Cannot read the session: %1</source>
        <translation>无法读取会话：%1</translation>
    </message>
    <message>
        <source>There is no tab %1: the session has no tabs.</source>
        <translation>没有标签页 %1：该会话没有任何标签页。</translation>
    </message>
    <message>
        <source>There is no tab %1 in the session (its tabs: %2).</source>
        <translation>会话中没有标签页 %1（现有标签页：%2）。</translation>
    </message>
    <message>
        <source>The session is not open.</source>
        <translation>会话未打开。</translation>
    </message>
    <message>
        <source>The export&apos;s output is not open for writing.</source>
        <translation>导出的输出未以写入方式打开。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>The session has no client tab to export: a load script replays what a client sent.</source>
        <translation>会话中没有可导出的客户端标签页：负载脚本重放的是客户端发送的内容。</translation>
    </message>
</context>
<context>
    <name>SessionReader</name>
    <message>
        <source>The session file %1 cannot be read through SQLite.</source>
        <translation>无法通过 SQLite 读取会话文件 %1。</translation>
    </message>
    <message>
        <source>The session is not open.</source>
        <translation>会话未打开。</translation>
    </message>
</context>
<context>
    <name>SocketIoCodec</name>
    <message>
        <source>Engine.IO: an empty packet (a text frame must start with a packet type 0-6).</source>
        <translation>Engine.IO：空数据包（文本帧必须以数据包类型 0-6 开头）。</translation>
    </message>
    <message>
        <source>Engine.IO: unknown packet type %1 (expected 0-6).</source>
        <translation>Engine.IO：未知的数据包类型 %1（应为 0-6）。</translation>
    </message>
    <message>
        <source>Socket.IO: an empty packet after the Engine.IO message type 4.</source>
        <translation>Socket.IO：Engine.IO 消息类型 4 之后的数据包为空。</translation>
    </message>
    <message>
        <source>Socket.IO: unknown packet type %1 (expected 0-6).</source>
        <translation>Socket.IO：未知的数据包类型 %1（应为 0-6）。</translation>
    </message>
    <message>
        <source>Socket.IO: a binary packet must give its attachment count then &apos;-&apos; (e.g. 51-[...]).</source>
        <translation>Socket.IO：二进制数据包必须先给出附件数量，再跟 &apos;-&apos;（例如 51-[...]）。</translation>
    </message>
    <message>
        <source>Socket.IO: the ack id %1 is too long.</source>
        <translation>Socket.IO：确认 ID %1 过长。</translation>
    </message>
    <message>
        <source>Socket.IO: the %1 payload is not JSON (%2).</source>
        <translation>Socket.IO：%1 的负载不是 JSON（%2）。</translation>
    </message>
    <message>
        <source>Socket.IO: a CONNECT payload must be a JSON object.</source>
        <translation>Socket.IO：CONNECT 的负载必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>Socket.IO: a CONNECT_ERROR payload must be an object or a string.</source>
        <translation>Socket.IO：CONNECT_ERROR 的负载必须是对象或字符串。</translation>
    </message>
    <message>
        <source>Socket.IO: the %1 payload must be an array starting with the event name.</source>
        <translation>Socket.IO：%1 的负载必须是以事件名称开头的数组。</translation>
    </message>
    <message>
        <source>Socket.IO: the %1 payload must be an array.</source>
        <translation>Socket.IO：%1 的负载必须是数组。</translation>
    </message>
    <message>
        <source>Socket.IO: the %1 packet has no ack id.</source>
        <translation>Socket.IO：%1 数据包没有确认 ID。</translation>
    </message>
</context>
<context>
    <name>SocketIoProtocol</name>
    <message>
        <source>Socket.IO namespace must start with &quot;/&quot; (e.g. /admin).</source>
        <translation>Socket.IO 命名空间必须以“/”开头（例如 /admin）。</translation>
    </message>
    <message>
        <source>Socket.IO namespace may not contain a comma.</source>
        <translation>Socket.IO 命名空间不能包含逗号。</translation>
    </message>
    <message>
        <source>Socket.IO auth must be a JSON object, e.g. {&quot;token&quot;: &quot;abc&quot;}.</source>
        <translation>Socket.IO 认证数据必须是 JSON 对象，例如 {&quot;token&quot;: &quot;abc&quot;}。</translation>
    </message>
    <message>
        <source>Socket.IO &quot;eio&quot; must be 4 (Socket.IO v3/v4) or 3 (Socket.IO v2).</source>
        <translation>Socket.IO 的 &quot;eio&quot; 必须为 4（Socket.IO v3/v4）或 3（Socket.IO v2）。</translation>
    </message>
    <message>
        <source>Socket.IO path must start with &quot;/&quot; (default /socket.io/).</source>
        <translation>Socket.IO 路径必须以“/”开头（默认 /socket.io/）。</translation>
    </message>
    <message>
        <source>Socket.IO server mode must be &quot;echo&quot; or &quot;broadcast&quot;.</source>
        <translation>Socket.IO 服务器模式必须为 &quot;echo&quot; 或 &quot;broadcast&quot;。</translation>
    </message>
    <message>
        <source>a binary attachment of the BINARY_EVENT or BINARY_ACK before it</source>
        <translation>前一个 BINARY_EVENT 或 BINARY_ACK 的二进制附件</translation>
    </message>
    <message>
        <source>Engine.IO: the open packet is not a JSON object.</source>
        <translation>Engine.IO：open 数据包不是 JSON 对象。</translation>
    </message>
</context>
<context>
    <name>StompFrame</name>
    <message>
        <source>undefined escape sequence &quot;\%1&quot; in a header</source>
        <translation>头中有未定义的转义序列 &quot;\%1&quot;</translation>
    </message>
    <message>
        <source>a header ends with a lone backslash</source>
        <translation>一个头以单独的反斜杠结尾</translation>
    </message>
    <message>
        <source>an empty message is not a STOMP frame</source>
        <translation>空消息不是 STOMP 帧</translation>
    </message>
    <message>
        <source>the command line is longer than %1 bytes</source>
        <translation>命令行超过 %1 字节</translation>
    </message>
    <message>
        <source>the frame ends inside its command line (&quot;%1&quot;)</source>
        <translation>帧在命令行中途结束（&quot;%1&quot;）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a STOMP command</source>
        <translation>&quot;%1&quot; 不是 STOMP 命令</translation>
    </message>
    <message>
        <source>%1: a header is longer than %2 bytes</source>
        <translation>%1：有一个头超过 %2 字节</translation>
    </message>
    <message>
        <source>%1: the frame ends inside its headers (no blank line before the body)</source>
        <translation>%1：帧在头部中途结束（正文前没有空行）</translation>
    </message>
    <message>
        <source>%1: more than %2 headers</source>
        <translation>%1：头多于 %2 个</translation>
    </message>
    <message>
        <source>%1: header line &quot;%2&quot; has no colon</source>
        <translation>%1：头行 &quot;%2&quot; 没有冒号</translation>
    </message>
    <message>
        <source>%1: a header has an empty name</source>
        <translation>%1：有一个头的名称为空</translation>
    </message>
    <message>
        <source>%1: content-length &quot;%2&quot; is not a number of bytes</source>
        <translation>%1：content-length &quot;%2&quot; 不是字节数</translation>
    </message>
    <message>
        <source>%1: content-length says %2 bytes but only %3 follow</source>
        <translation>%1：content-length 为 %2 字节，但后面只有 %3 字节</translation>
    </message>
    <message>
        <source>%1: no NUL after the %2 bytes of content-length</source>
        <translation>%1：content-length 指定的 %2 字节之后没有 NUL</translation>
    </message>
    <message>
        <source>%1: the frame has no NUL terminator</source>
        <translation>%1：帧没有 NUL 结束符</translation>
    </message>
</context>
<context>
    <name>StompProtocol</name>
    <message>
        <source>STOMP setting &quot;%1&quot; must be a string.</source>
        <translation>STOMP 设置 &quot;%1&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>STOMP setting &quot;%1&quot; must be a number of milliseconds from 0 to 86400000.</source>
        <translation>STOMP 设置 &quot;%1&quot; 必须是 0 到 86400000 之间的毫秒数。</translation>
    </message>
    <message>
        <source>STOMP setting &quot;version&quot; must be &quot;1.2&quot; or &quot;1.1&quot;, not &quot;%1&quot;.</source>
        <translation>STOMP 设置 &quot;version&quot; 必须是 &quot;1.2&quot; 或 &quot;1.1&quot;，而不是 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>STOMP setting &quot;%1&quot; cannot contain line breaks: CONNECT headers are not escaped.</source>
        <translation>STOMP 设置 &quot;%1&quot; 不能包含换行：CONNECT 的头不转义。</translation>
    </message>
    <message>
        <source>STOMP: unknown command %1</source>
        <translation>STOMP：未知命令 %1</translation>
    </message>
    <message>
        <source>STOMP: %1</source>
        <translation>STOMP：%1</translation>
    </message>
    <message>
        <source>STOMP: frame %1: %2</source>
        <translation>STOMP：第 %1 帧：%2</translation>
    </message>
</context>
<context>
    <name>Transfer</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Stop the export: no file is written and an existing file is kept</source>
        <translation>停止导出：不会写入任何文件，已有文件保持不变</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <source>Exporting to %1
%2 of %3 messages</source>
        <translation>正在导出到 %1
%2/%3 条消息</translation>
    </message>
    <message>
        <source>The export to %1 failed.</source>
        <translation>导出到 %1 失败。</translation>
    </message>
    <message>
        <source>Import HAR</source>
        <translation>导入 HAR</translation>
    </message>
    <message>
        <source>Stop the import: no session file is written</source>
        <translation>停止导入：不会写入会话文件</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Importing %1
%2 of %3 messages</source>
        <translation>正在导入 %1
%2/%3 条消息</translation>
    </message>
    <message>
        <source>The import of %1 failed.</source>
        <translation>导入 %1 失败。</translation>
    </message>
</context>
<context>
    <name>Variables</name>
    <message>
        <source>%1 is not defined: add it to the variables, or write {{{{%2}} to send it as it is.</source>
        <translation>%1 未定义：请将其添加到变量中，或写成 {{{{%2}} 以按原样发送。</translation>
    </message>
    <message>
        <source>These variables are not defined: %1. Add them to the variables.</source>
        <translation>以下变量未定义：%1。请将它们添加到变量中。</translation>
    </message>
    <message>
        <source>variables[%1] must be an object with &quot;name&quot; and &quot;value&quot;.</source>
        <translation>variables[%1] 必须是包含 &quot;name&quot; 和 &quot;value&quot; 的对象。</translation>
    </message>
    <message>
        <source>variables[%1].name must be a string.</source>
        <translation>variables[%1].name 必须是字符串。</translation>
    </message>
    <message>
        <source>variables[%1].value must be a string.</source>
        <translation>variables[%1].value 必须是字符串。</translation>
    </message>
</context>
<context>
    <name>WireCounters</name>
    <message>
        <source>%1 %2 msgs / %3 wire (%4 %)</source>
        <translation>%1 %2 消息 / %3 线上 (%4 %)</translation>
    </message>
</context>
<context>
    <name>wst::ActionRegistry</name>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Client tab</source>
        <translation>客户端标签页</translation>
    </message>
    <message>
        <source>Composer</source>
        <translation>消息编辑器</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Saved messages</source>
        <translation>已保存的消息</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Reply rules</source>
        <translation>回复规则</translation>
    </message>
    <message>
        <source>&amp;New Connection</source>
        <translation>新建连接(&amp;N)</translation>
    </message>
    <message>
        <source>Open a tab for a new connection (Ctrl+T)</source>
        <translation>为新连接打开一个标签页（Ctrl+T）</translation>
    </message>
    <message>
        <source>Open a tab for a new connection</source>
        <translation>为新连接打开一个标签页</translation>
    </message>
    <message>
        <source>New &amp;Local Server</source>
        <translation>新建本地服务器(&amp;L)</translation>
    </message>
    <message>
        <source>Open a tab with a WebSocket server on this machine, for testing clients (Ctrl+Shift+T)</source>
        <translation>打开一个在本机运行 WebSocket 服务器的标签页，用于测试客户端（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <source>Open a tab with a WebSocket server on this machine</source>
        <translation>打开一个在本机运行 WebSocket 服务器的标签页</translation>
    </message>
    <message>
        <source>New &amp;Window</source>
        <translation>新建窗口(&amp;W)</translation>
    </message>
    <message>
        <source>Open a window with a session of its own (Ctrl+N)</source>
        <translation>打开一个拥有独立会话的窗口（Ctrl+N）</translation>
    </message>
    <message>
        <source>&amp;Open Session…</source>
        <translation>打开会话(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a saved session with its tabs and their histories (Ctrl+O)</source>
        <translation>打开已保存的会话，包括其标签页及各自的历史记录（Ctrl+O）</translation>
    </message>
    <message>
        <source>&amp;Save Session</source>
        <translation>保存会话(&amp;S)</translation>
    </message>
    <message>
        <source>Save every tab with its settings and its whole history (Ctrl+S)</source>
        <translation>保存所有标签页及其设置和完整历史记录（Ctrl+S）</translation>
    </message>
    <message>
        <source>Save Session &amp;As…</source>
        <translation>会话另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the session to another file (Ctrl+Shift+S)</source>
        <translation>将会话保存到另一个文件（Ctrl+Shift+S）</translation>
    </message>
    <message>
        <source>&amp;Import HAR…</source>
        <translation>导入 HAR(&amp;I)…</translation>
    </message>
    <message>
        <source>Open the WebSocket connections of a HAR file (as Chrome DevTools saves it) as tabs</source>
        <translation>将 HAR 文件（Chrome DevTools 保存的格式）中的 WebSocket 连接作为标签页打开</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Close Tab</source>
        <translation>关闭标签页(&amp;C)</translation>
    </message>
    <message>
        <source>Close the current tab and its connection (Ctrl+W)</source>
        <translation>关闭当前标签页及其连接（Ctrl+W）</translation>
    </message>
    <message>
        <source>&amp;Rename Tab…</source>
        <translation>重命名标签页(&amp;R)…</translation>
    </message>
    <message>
        <source>Give the current tab a name (F2)</source>
        <translation>为当前标签页命名（F2）</translation>
    </message>
    <message>
        <source>Close &amp;Window</source>
        <translation>关闭窗口(&amp;W)</translation>
    </message>
    <message>
        <source>Close this window and its connections (Ctrl+Shift+W)</source>
        <translation>关闭此窗口及其连接（Ctrl+Shift+W）</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Close every window, asking about unsaved sessions (Ctrl+Q)</source>
        <translation>关闭所有窗口，并询问如何处理未保存的会话（Ctrl+Q）</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>List every keyboard shortcut of wstester</source>
        <translation>列出 wstester 的所有键盘快捷键</translation>
    </message>
    <message>
        <source>&amp;About wstester</source>
        <translation>关于 wstester(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>Go to the URL</source>
        <translation>转到 URL 输入框</translation>
    </message>
    <message>
        <source>Show the handshake or the history</source>
        <translation>显示握手或历史记录</translation>
    </message>
    <message>
        <source>Show or hide the saved messages</source>
        <translation>显示或隐藏已保存的消息</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>Save the message for this connection</source>
        <translation>为此连接保存消息</translation>
    </message>
    <message>
        <source>Clear the history</source>
        <translation>清空历史记录</translation>
    </message>
    <message>
        <source>Filter the history</source>
        <translation>筛选历史记录</translation>
    </message>
    <message>
        <source>Copy the selected messages</source>
        <translation>复制所选消息</translation>
    </message>
    <message>
        <source>Add a header</source>
        <translation>添加请求头</translation>
    </message>
    <message>
        <source>Remove the selected headers</source>
        <translation>移除所选请求头</translation>
    </message>
    <message>
        <source>Delete the saved message</source>
        <translation>删除已保存的消息</translation>
    </message>
    <message>
        <source>Rename the saved message</source>
        <translation>重命名已保存的消息</translation>
    </message>
    <message>
        <source>Add a variable</source>
        <translation>添加变量</translation>
    </message>
    <message>
        <source>Remove the selected variables</source>
        <translation>移除所选变量</translation>
    </message>
    <message>
        <source>Add a rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Remove the rule</source>
        <translation>移除规则</translation>
    </message>
    <message>
        <source>Move the rule up</source>
        <translation>上移规则</translation>
    </message>
    <message>
        <source>Move the rule down</source>
        <translation>下移规则</translation>
    </message>
    <message>
        <source>Message details</source>
        <translation>消息详情</translation>
    </message>
    <message>
        <source>Connection history</source>
        <translation>连接历史</translation>
    </message>
    <message>
        <source>Collections</source>
        <translation>集合</translation>
    </message>
    <message>
        <source>Save to &amp;Collection</source>
        <translation>保存到集合(&amp;C)</translation>
    </message>
    <message>
        <source>Save the tab&apos;s settings to the collection entry it came from, or keep it as a new entry (Ctrl+S while the current tab came from a collection; Save Session has Ctrl+S otherwise)</source>
        <translation>将标签页的设置保存到其来源的集合条目，或另存为新条目（当前标签页来自集合时使用 Ctrl+S；否则 Ctrl+S 用于“保存会话”）</translation>
    </message>
    <message>
        <source>&amp;Workspace</source>
        <translation>工作区(&amp;W)</translation>
    </message>
    <message>
        <source>Show or hide the workspace: collections, connection history, environments (F9)</source>
        <translation>显示或隐藏工作区：集合、连接历史、环境（F9）</translation>
    </message>
    <message>
        <source>Find in the message</source>
        <translation>在消息中查找</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>下一个匹配项</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>上一个匹配项</translation>
    </message>
    <message>
        <source>Copy the URLs of the selected connections</source>
        <translation>复制所选连接的 URL</translation>
    </message>
    <message>
        <source>Delete the selected connections</source>
        <translation>删除所选连接</translation>
    </message>
    <message>
        <source>Open the entry in a tab</source>
        <translation>在标签页中打开该条目</translation>
    </message>
    <message>
        <source>Rename the item</source>
        <translation>重命名该项</translation>
    </message>
    <message>
        <source>Delete the item</source>
        <translation>删除该项</translation>
    </message>
    <message>
        <source>Undo the last delete</source>
        <translation>撤销上一次删除</translation>
    </message>
    <message>
        <source>Export the session, this tab or the selected messages as HAR, NDJSON, JSON, CSV, or a k6 or Artillery load script (Ctrl+E)</source>
        <translation>将会话、此标签页或所选消息导出为 HAR、NDJSON、JSON、CSV，或 k6、Artillery 负载脚本 (Ctrl+E)</translation>
    </message>
    <message>
        <source>New &amp;Proxy</source>
        <translation>新建代理(&amp;P)</translation>
    </message>
    <message>
        <source>Open a tab with an intercepting proxy between a real app and a real server (Ctrl+Shift+P)</source>
        <translation>打开一个标签页，在真实应用与真实服务器之间放置拦截代理（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>Open a tab with an intercepting proxy between a real app and a real server</source>
        <translation>打开一个标签页，在真实应用与真实服务器之间放置拦截代理</translation>
    </message>
    <message>
        <source>&amp;Charts</source>
        <translation>图表(&amp;C)</translation>
    </message>
    <message>
        <source>Show or hide the live charts of the current tab: messages and bytes per second, ping round trips, a JSON value (F7)</source>
        <translation>显示或隐藏当前标签页的实时图表：每秒消息数和字节数、Ping 往返时间、一个 JSON 值（F7）</translation>
    </message>
    <message>
        <source>&amp;Statistics…</source>
        <translation>统计(&amp;S)…</translation>
    </message>
    <message>
        <source>Counts, sizes, times between messages and top JSON values of the current tab (F8)</source>
        <translation>当前标签页的计数、大小、消息间隔时间和最常见的 JSON 值（F8）</translation>
    </message>
    <message>
        <source>Compare the two selected messages</source>
        <translation>比较所选的两条消息</translation>
    </message>
    <message>
        <source>&amp;Decoder…</source>
        <translation>解码器(&amp;D)…</translation>
    </message>
    <message>
        <source>Choose how the current client tab reads binary messages: MessagePack, CBOR or Protocol Buffers</source>
        <translation>选择当前客户端标签页如何读取二进制消息：MessagePack、CBOR 或 Protocol Buffers</translation>
    </message>
</context>
<context>
    <name>wst::BreakpointsEditor</name>
    <message>
        <source>Both ways</source>
        <translation>双向</translation>
    </message>
    <message>
        <source>→ server</source>
        <translation>→ 服务器</translation>
    </message>
    <message>
        <source>→ client</source>
        <translation>→ 客户端</translation>
    </message>
    <message>
        <source>Breakpoint direction</source>
        <translation>断点方向</translation>
    </message>
    <message>
        <source>Which messages the breakpoint stops: those to the server, to the client, or both</source>
        <translation>断点拦住哪些消息：发往服务器的、发往客户端的，或两者</translation>
    </message>
    <message>
        <source>is exactly</source>
        <translation>完全等于</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>包含</translation>
    </message>
    <message>
        <source>matches regex</source>
        <translation>匹配正则</translation>
    </message>
    <message>
        <source>JSON field</source>
        <translation>JSON 字段</translation>
    </message>
    <message>
        <source>How the message matches</source>
        <translation>消息如何匹配</translation>
    </message>
    <message>
        <source>Exactly, contains, a regular expression, or a JSON field (its path, and the value it must have; no value: the field exists)</source>
        <translation>完全相等、包含、正则表达式，或 JSON 字段（其路径和必须具有的值；无值：字段存在即可）</translation>
    </message>
    <message>
        <source>Breakpoint %1: %2</source>
        <translation>断点 %1：%2</translation>
    </message>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Way</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>匹配</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Breakpoints</source>
        <translation>断点</translation>
    </message>
    <message>
        <source>Messages that match an enabled breakpoint are held until you forward, edit or drop them</source>
        <translation>匹配已启用断点的消息会被拦住，直到你转发、编辑或丢弃它们</translation>
    </message>
    <message>
        <source>&amp;Add Breakpoint</source>
        <translation>添加断点(&amp;A)</translation>
    </message>
    <message>
        <source>Add a breakpoint</source>
        <translation>添加断点</translation>
    </message>
    <message>
        <source>Add a breakpoint that holds matching messages</source>
        <translation>添加一个拦住匹配消息的断点</translation>
    </message>
    <message>
        <source>&amp;Remove Breakpoint</source>
        <translation>移除断点(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the breakpoint</source>
        <translation>移除断点</translation>
    </message>
    <message>
        <source>Remove the selected breakpoint</source>
        <translation>移除所选断点</translation>
    </message>
</context>
<context>
    <name>wst::CertificateDialog</name>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>C&amp;opy Instructions</source>
        <translation>复制说明(&amp;O)</translation>
    </message>
    <message>
        <source>Give the folder for the certificate authority.</source>
        <translation>请填写证书颁发机构所在的文件夹。</translation>
    </message>
    <message>
        <source>No certificate authority in this folder yet: one is made (trust it once).</source>
        <translation>此文件夹中还没有证书颁发机构：将创建一个（只需信任一次）。</translation>
    </message>
    <message>
        <source>The certificate authority in this folder is replaced: apps that trusted it must trust the new one.</source>
        <translation>此文件夹中的证书颁发机构将被替换：信任过它的应用必须信任新的。</translation>
    </message>
    <message>
        <source>This folder holds a certificate authority: it is used, so apps that trust it already trust the new certificate.</source>
        <translation>此文件夹中已有证书颁发机构：将使用它，因此已信任它的应用也会信任新证书。</translation>
    </message>
    <message>
        <source>Make Certificate</source>
        <translation>生成证书</translation>
    </message>
    <message>
        <source>As an HTTP proxy, wstester decrypts an app&apos;s wss:// connections with a certificate it signs for each host, using a certificate authority of its own. Make it here, then make the app trust it.</source>
        <translation>作为 HTTP 代理时，wstester 使用自己的证书颁发机构为每个主机签发证书，以解密应用的 wss:// 连接。在此创建它，然后让应用信任它。</translation>
    </message>
    <message>
        <source>For wss://, the proxy needs a certificate for the name the app connects to, signed by a certificate authority the app trusts. Make both here, then make the app trust the authority.</source>
        <translation>使用 wss:// 时，代理需要一张针对应用所连接名称的证书，并由应用信任的证书颁发机构签发。在此创建两者，然后让应用信任该证书颁发机构。</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>Certificate folder</source>
        <translation>证书文件夹</translation>
    </message>
    <message>
        <source>Where the certificate authority (ca.pem, ca.key) and the certificate (server.pem, server.key) are kept</source>
        <translation>存放证书颁发机构（ca.pem、ca.key）和证书（server.pem、server.key）的位置</translation>
    </message>
    <message>
        <source>&amp;Host names:</source>
        <translation>主机名(&amp;H)：</translation>
    </message>
    <message>
        <source>Host names</source>
        <translation>主机名</translation>
    </message>
    <message>
        <source>The names and IP addresses the app connects to, separated by commas</source>
        <translation>应用连接的名称和 IP 地址，用逗号分隔</translation>
    </message>
    <message>
        <source>&amp;Replace the certificate authority</source>
        <translation>替换证书颁发机构(&amp;R)</translation>
    </message>
    <message>
        <source>Replace the certificate authority</source>
        <translation>替换证书颁发机构</translation>
    </message>
    <message>
        <source>Make a new certificate authority instead of using the one in the folder (apps must then trust the new one)</source>
        <translation>创建新的证书颁发机构，而不使用文件夹中已有的（之后应用必须信任新的）</translation>
    </message>
    <message>
        <source>&amp;Make</source>
        <translation>生成(&amp;M)</translation>
    </message>
    <message>
        <source>Make the certificate</source>
        <translation>生成证书</translation>
    </message>
    <message>
        <source>Make the files now</source>
        <translation>立即生成文件</translation>
    </message>
    <message>
        <source>Certificate authority state</source>
        <translation>证书颁发机构状态</translation>
    </message>
    <message>
        <source>How to make apps &amp;trust it:</source>
        <translation>如何让应用信任它(&amp;T)：</translation>
    </message>
    <message>
        <source>Trust instructions</source>
        <translation>信任说明</translation>
    </message>
    <message>
        <source>The commands that make browsers, the system, node and python trust the certificate authority</source>
        <translation>让浏览器、系统、node 和 python 信任该证书颁发机构的命令</translation>
    </message>
    <message>
        <source>Copy the instructions</source>
        <translation>复制说明</translation>
    </message>
    <message>
        <source>Copy the trust instructions to the clipboard</source>
        <translation>将信任说明复制到剪贴板</translation>
    </message>
    <message>
        <source>&amp;Use These Files</source>
        <translation>使用这些文件(&amp;U)</translation>
    </message>
    <message>
        <source>Use these files</source>
        <translation>使用这些文件</translation>
    </message>
    <message>
        <source>Put the certificate and key in the proxy&apos;s settings</source>
        <translation>将证书和密钥填入代理设置</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close without changing the proxy&apos;s settings</source>
        <translation>关闭且不修改代理设置</translation>
    </message>
</context>
<context>
    <name>wst::ChartsDock</name>
    <message>
        <source>Charts — %1</source>
        <translation>图表 — %1</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Live charts of the current tab: messages and bytes per second, ping round trips, a JSON value</source>
        <translation>当前标签页的实时图表：每秒消息数和字节数、Ping 往返时间、一个 JSON 值</translation>
    </message>
</context>
<context>
    <name>wst::ChartsPanel</name>
    <message>
        <source>Not a JSON path: %1. Try $.price or $.data[0].value.</source>
        <translation>不是 JSON 路径：%1。可试试 $.price 或 $.data[0].value。</translation>
    </message>
    <message>
        <source>The JSON value is sampled: %L1 of %L2 messages read.</source>
        <translation>JSON 值为抽样：已读取 %L2 条消息中的 %L1 条。</translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation>MiB/s</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>KiB/s</translation>
    </message>
    <message>
        <source>bytes/s</source>
        <translation>字节/秒</translation>
    </message>
    <message>
        <source>Bytes per second (%1)</source>
        <translation>每秒字节数（%1）</translation>
    </message>
    <message>
        <source>&amp;Span:</source>
        <translation>时间范围(&amp;S)：</translation>
    </message>
    <message>
        <source>Last minute</source>
        <translation>最近 1 分钟</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>最近 5 分钟</translation>
    </message>
    <message>
        <source>Last 10 minutes</source>
        <translation>最近 10 分钟</translation>
    </message>
    <message>
        <source>Time span</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <source>How much of the stream the charts show, up to now</source>
        <translation>图表显示截至现在的多长一段数据流</translation>
    </message>
    <message>
        <source>&amp;JSON value:</source>
        <translation>JSON 值(&amp;J)：</translation>
    </message>
    <message>
        <source>a number to chart, e.g. $.price</source>
        <translation>要绘制的数字，例如 $.price</translation>
    </message>
    <message>
        <source>JSON path to chart</source>
        <translation>要绘制的 JSON 路径</translation>
    </message>
    <message>
        <source>A JSON path to a number in text messages (numbers and numeric strings), charted per second as its mean; press Enter to apply, empty to stop</source>
        <translation>指向文本消息中某个数字（数字或数字字符串）的 JSON 路径，按每秒平均值绘制；按 Enter 应用，留空则停止</translation>
    </message>
    <message>
        <source>Messages per second</source>
        <translation>每秒消息数</translation>
    </message>
    <message>
        <source>Bytes per second</source>
        <translation>每秒字节数</translation>
    </message>
    <message>
        <source>Ping round trip (ms)</source>
        <translation>Ping 往返时间（毫秒）</translation>
    </message>
    <message>
        <source>JSON value (type a path above)</source>
        <translation>JSON 值（在上方输入路径）</translation>
    </message>
    <message>
        <source>JSON value %1</source>
        <translation>JSON 值 %1</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Round trip (ms)</source>
        <translation>往返时间（毫秒）</translation>
    </message>
    <message>
        <source>Mean per second</source>
        <translation>每秒平均值</translation>
    </message>
    <message>
        <source>Messages per second chart</source>
        <translation>每秒消息数图表</translation>
    </message>
    <message>
        <source>Bytes per second chart</source>
        <translation>每秒字节数图表</translation>
    </message>
    <message>
        <source>Ping round trip chart</source>
        <translation>Ping 往返时间图表</translation>
    </message>
    <message>
        <source>JSON value chart</source>
        <translation>JSON 值图表</translation>
    </message>
    <message>
        <source>Round trips of the pings sent from this tab, in milliseconds</source>
        <translation>从此标签页发出的 Ping 的往返时间，单位毫秒</translation>
    </message>
    <message>
        <source>The JSON path&apos;s value per second (mean of the values read)</source>
        <translation>该 JSON 路径每秒的值（所读取值的平均值）</translation>
    </message>
    <message>
        <source>Received and sent, per second</source>
        <translation>每秒接收和发送</translation>
    </message>
    <message>
        <source>Sampling note</source>
        <translation>抽样说明</translation>
    </message>
</context>
<context>
    <name>wst::ClientConnection</name>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>已打开</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>正在关闭</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>wst::ClientListModel</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All clients</source>
        <translation>所有客户端</translation>
    </message>
    <message numerus="yes">
        <source>%n connected</source>
        <translation>
            <numerusform>已连接 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>Every client&apos;s messages together, and the server&apos;s own events</source>
        <translation>所有客户端的消息汇总，以及服务器自身的事件</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Closed (%1)</source>
        <translation>已关闭（%1）</translation>
    </message>
    <message>
        <source>Connected, subprotocol %1</source>
        <translation>已连接，子协议 %1</translation>
    </message>
    <message>
        <source>Closed with %1: %2</source>
        <translation>已关闭，%1：%2</translation>
    </message>
    <message>
        <source>Origin: %1</source>
        <translation>Origin：%1</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>连接时间</translation>
    </message>
    <message>
        <source>In</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>The client&apos;s id, as in the history&apos;s Client column</source>
        <translation>客户端的 ID，与历史记录中“客户端”列相同</translation>
    </message>
    <message>
        <source>The client&apos;s address and port</source>
        <translation>客户端的地址和端口</translation>
    </message>
    <message>
        <source>When the client connected</source>
        <translation>客户端连接的时间</translation>
    </message>
    <message>
        <source>Messages received from the client</source>
        <translation>从该客户端收到的消息数</translation>
    </message>
    <message>
        <source>Messages sent to the client</source>
        <translation>发送给该客户端的消息数</translation>
    </message>
    <message>
        <source>Connected, or closed with its close code</source>
        <translation>已连接，或已关闭及其关闭码</translation>
    </message>
</context>
<context>
    <name>wst::ClientListPane</name>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>The clients of this server. Select one to see its handshake and history; All shows every client&apos;s messages.</source>
        <translation>此服务器的客户端。选择一个以查看其握手和历史记录；“全部”显示所有客户端的消息。</translation>
    </message>
    <message>
        <source>Clients: %1 connected, %2 in all</source>
        <translation>客户端：已连接 %1 个，共 %2 个</translation>
    </message>
    <message>
        <source>Handshake request of client %1</source>
        <translation>客户端 %1 的握手请求</translation>
    </message>
    <message>
        <source>Agreed: %1</source>
        <translation>已协商：%1</translation>
    </message>
    <message>
        <source>Handshake</source>
        <translation>握手</translation>
    </message>
    <message>
        <source>Select a client to see its opening handshake.</source>
        <translation>选择一个客户端以查看其建立连接时的握手。</translation>
    </message>
    <message>
        <source>Handshake of client %1</source>
        <translation>客户端 %1 的握手</translation>
    </message>
    <message>
        <source>The selected client&apos;s opening HTTP request, exactly as it arrived, and the 101 response when wstester wrote it (compression or a fault on that client)</source>
        <translation>所选客户端建立连接时的 HTTP 请求（与到达时完全一致），以及由 wstester 写出的 101 响应（该客户端使用压缩或故障时）</translation>
    </message>
</context>
<context>
    <name>wst::ClientTab</name>
    <message>
        <source>waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>Unsolicited pong</source>
        <translation>未经请求的 Pong</translation>
    </message>
    <message>
        <source>RTT %1 ms</source>
        <translation>RTT %1 ms</translation>
    </message>
    <message>
        <source>Not available: the connection is not open</source>
        <translation>不可用：连接未打开</translation>
    </message>
    <message>
        <source>Connect first: messages need an open connection</source>
        <translation>请先连接：发送消息需要已打开的连接</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>新连接</translation>
    </message>
    <message>
        <source>Where this history comes from</source>
        <translation>此历史记录的来源</translation>
    </message>
    <message>
        <source>Loading the history from the session file…</source>
        <translation>正在从会话文件加载历史记录…</translation>
    </message>
    <message>
        <source>Name of this tab (empty: use the URL&apos;s host):</source>
        <translation>此标签页的名称（留空则使用 URL 的主机名）：</translation>
    </message>
    <message>
        <source>Use the URL&apos;s &amp;Host as Name</source>
        <translation>使用 URL 的主机名作为名称(&amp;H)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>must be an object.</source>
        <translation>必须是一个对象。</translation>
    </message>
    <message>
        <source>The decoder cannot be used: %1</source>
        <translation>无法使用该解码器：%1</translation>
    </message>
    <message>
        <source>“decoder” skipped: %1</source>
        <translation>已跳过“decoder”：%1</translation>
    </message>
</context>
<context>
    <name>wst::ClientViews</name>
    <message>
        <source>History, handshake and frames</source>
        <translation>历史记录、握手和帧</translation>
    </message>
    <message>
        <source>History, handshake or frames</source>
        <translation>历史记录、握手或帧</translation>
    </message>
    <message>
        <source>Switch between the message history, the handshake inspector (Ctrl+I) and the raw frames</source>
        <translation>在消息历史记录、握手查看器（Ctrl+I）和原始帧之间切换</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Handshake</source>
        <translation>握手</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <source>Every message and event of this connection</source>
        <translation>此连接的所有消息和事件</translation>
    </message>
    <message>
        <source>The opening handshake exactly as it crossed the wire (Ctrl+I)</source>
        <translation>与网络上传输时完全一致的开启握手（Ctrl+I）</translation>
    </message>
    <message>
        <source>Every WebSocket frame both ways, control frames included, while recording</source>
        <translation>记录期间双向的每一个 WebSocket 帧，包括控制帧</translation>
    </message>
    <message>
        <source>Handshake (%1)</source>
        <translation>握手（%1）</translation>
    </message>
</context>
<context>
    <name>wst::ClientWorker</name>
    <message>
        <source>The server did not complete the close handshake within %1 s; the connection was aborted.</source>
        <translation>服务器未在 %1 秒内完成关闭握手；连接已中止。</translation>
    </message>
    <message>
        <source>Connecting to %1</source>
        <translation>正在连接到 %1</translation>
    </message>
    <message>
        <source>The connection was closed during the WebSocket handshake.</source>
        <translation>连接在 WebSocket 握手期间被关闭。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Certificate errors ignored for this connection: %1</source>
        <translation>已对此连接忽略证书错误：%1</translation>
    </message>
    <message>
        <source>Certificate verification failed: %1</source>
        <translation>证书验证失败：%1</translation>
    </message>
    <message>
        <source>No WebSocket handshake from %1 within %2 s.</source>
        <translation>%2 秒内未收到来自 %1 的 WebSocket 握手。</translation>
    </message>
    <message>
        <source>%1 not sent: the connection is not open.</source>
        <translation>%1未发送：连接未打开。</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Connection attempt cancelled.</source>
        <translation>连接尝试已取消。</translation>
    </message>
    <message>
        <source>Connection aborted.</source>
        <translation>连接已中止。</translation>
    </message>
    <message>
        <source>The server answered “%1” instead of 101 Switching Protocols.</source>
        <translation>服务器应答了“%1”，而不是 101 Switching Protocols。</translation>
    </message>
    <message>
        <source>Reconnect attempt %1</source>
        <translation>第 %1 次重新连接尝试</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s (attempt %2)</source>
        <translation>%1 秒后重新连接（第 %2 次尝试）</translation>
    </message>
    <message>
        <source>Automatic reconnect cancelled.</source>
        <translation>已取消自动重新连接。</translation>
    </message>
    <message>
        <source>Not sent: this connection speaks raw WebSocket; choose a protocol to send &quot;%1&quot;.</source>
        <translation>未发送：此连接使用原始 WebSocket；要发送“%1”请选择一个协议。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; not sent: the connection is not open.</source>
        <translation>“%1”未发送：连接未打开。</translation>
    </message>
    <message>
        <source>Hand-made frame not sent: the connection was closed.</source>
        <translation>手工帧未发送：连接已关闭。</translation>
    </message>
    <message>
        <source>Hand-made frame</source>
        <translation>手工帧</translation>
    </message>
    <message>
        <source>Hand-made frame not sent: it needs the wire relay, which this connection does not use.</source>
        <translation>手工帧未发送：它需要线路中继，而此连接未使用中继。</translation>
    </message>
</context>
<context>
    <name>wst::CollectionLink</name>
    <message>
        <source>Unsaved changes to the collection entry (Ctrl+S saves them to it)</source>
        <translation>集合条目有未保存的更改（Ctrl+S 将其保存到该条目）</translation>
    </message>
    <message>
        <source>Save to Collection</source>
        <translation>保存到集合</translation>
    </message>
    <message>
        <source>Name of the collection entry:</source>
        <translation>集合条目名称：</translation>
    </message>
    <message>
        <source>My Collection</source>
        <translation>我的集合</translation>
    </message>
</context>
<context>
    <name>wst::CollectionStore</name>
    <message>
        <source>the same collection id as another file (a copy?); import it instead</source>
        <translation>与另一个文件的集合 ID 相同（是副本吗？）；请改为导入它</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Local server on %1:%2</source>
        <translation>%1:%2 上的本地服务器</translation>
    </message>
    <message>
        <source>Nothing to save</source>
        <translation>没有可保存的内容</translation>
    </message>
    <message>
        <source>Cannot make the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Collection</source>
        <translation>集合</translation>
    </message>
    <message>
        <source>No folder or collection to put it in</source>
        <translation>没有可放入的文件夹或集合</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>The collection entry is gone</source>
        <translation>该集合条目已不存在</translation>
    </message>
    <message>
        <source>%1 copy</source>
        <translation>%1 副本</translation>
    </message>
    <message>
        <source>Cannot remove %1</source>
        <translation>无法删除 %1</translation>
    </message>
    <message>
        <source>The folder it was in is gone</source>
        <translation>它所在的文件夹已不存在</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>No collection to export</source>
        <translation>没有可导出的集合</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>连接配置</translation>
    </message>
</context>
<context>
    <name>wst::CollectionsPanel</name>
    <message>
        <source>the %1 header&apos;s value</source>
        <translation>%1 请求头的值</translation>
    </message>
    <message>
        <source>the key passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <source>the proxy password</source>
        <translation>代理密码</translation>
    </message>
    <message>
        <source>the password in the URL</source>
        <translation>URL 中的密码</translation>
    </message>
    <message>
        <source>Collections</source>
        <translation>集合</translation>
    </message>
    <message>
        <source>Filter collections</source>
        <translation>筛选集合</translation>
    </message>
    <message>
        <source>Show only the entries whose name or URL contains this text</source>
        <translation>仅显示名称或 URL 包含此文本的条目</translation>
    </message>
    <message>
        <source>Filter by name or URL</source>
        <translation>按名称或 URL 筛选</translation>
    </message>
    <message>
        <source>Saved connections and local servers: Enter or a double-click opens one in a tab, F2 renames, Del deletes (Ctrl+Z brings it back), drag to move between folders</source>
        <translation>已保存的连接和本地服务器：按 Enter 或双击在标签页中打开，F2 重命名，Del 删除（Ctrl+Z 可恢复），拖动可在文件夹之间移动</translation>
    </message>
    <message>
        <source>Collections notice</source>
        <translation>集合通知</translation>
    </message>
    <message>
        <source>Collections actions</source>
        <translation>集合操作</translation>
    </message>
    <message>
        <source>Not written to the collection file for “%1”: %2. To keep a secret with the entry, put it in a variable and write {{name}} instead.</source>
        <translation>未写入“%1”的集合文件：%2。若要随条目保留机密，请将其放入变量，并改写为 {{name}}。</translation>
    </message>
    <message>
        <source>Not read (left as they are):</source>
        <translation>未读取（保持原样）：</translation>
    </message>
    <message numerus="yes">
        <source>Your %n connection profile(s) are now entries of the collection “Profiles”.</source>
        <translation>
            <numerusform>您的 %n 个连接配置现在是集合“连接配置”中的条目。</numerusform>
        </translation>
    </message>
    <message>
        <source>Their secrets were not written to the collection file (the old profiles keep them in the settings file): %1.</source>
        <translation>它们的机密未写入集合文件（旧的连接配置仍将其保存在设置文件中）：%1。</translation>
    </message>
    <message>
        <source>&amp;Open in a Tab	Enter</source>
        <translation>在标签页中打开(&amp;O)	Enter</translation>
    </message>
    <message>
        <source>Open the connection or server setup in a new tab (not connected)</source>
        <translation>在新标签页中打开连接或服务器设置（不连接）</translation>
    </message>
    <message>
        <source>New &amp;Collection…</source>
        <translation>新建集合(&amp;C)…</translation>
    </message>
    <message>
        <source>Make a new collection (a file of its own in the collections folder)</source>
        <translation>新建一个集合（在集合文件夹中单独作为一个文件）</translation>
    </message>
    <message>
        <source>New &amp;Folder…</source>
        <translation>新建文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Make a folder in the selected collection or folder</source>
        <translation>在所选集合或文件夹中新建文件夹</translation>
    </message>
    <message>
        <source>&amp;Save Current Tab Here…</source>
        <translation>将当前标签页保存到此处(&amp;S)…</translation>
    </message>
    <message>
        <source>Keep the current tab&apos;s settings (and saved messages) as an entry of the selected folder</source>
        <translation>将当前标签页的设置（及已保存的消息）保存为所选文件夹中的条目</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>创建副本(&amp;U)</translation>
    </message>
    <message>
        <source>Make a copy of the selected entry or folder</source>
        <translation>为所选条目或文件夹创建副本</translation>
    </message>
    <message>
        <source>&amp;Rename	F2</source>
        <translation>重命名(&amp;R)	F2</translation>
    </message>
    <message>
        <source>Rename the selected item</source>
        <translation>重命名所选项</translation>
    </message>
    <message>
        <source>&amp;Delete	Del</source>
        <translation>删除(&amp;D)	Del</translation>
    </message>
    <message>
        <source>Delete the selected item (Ctrl+Z brings it back)</source>
        <translation>删除所选项（Ctrl+Z 可恢复）</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Copy a collection file, or the WebSocket requests of a Postman collection, into the collections folder</source>
        <translation>将集合文件或 Postman 集合中的 WebSocket 请求复制到集合文件夹</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the selected collection to a file of your choice (secrets stay out of it)</source>
        <translation>将所选集合写入您选择的文件（不包含机密）</translation>
    </message>
    <message>
        <source>“%1” was opened with a problem: %2</source>
        <translation>打开“%1”时出现问题：%2</translation>
    </message>
    <message>
        <source>New Collection</source>
        <translation>新建集合</translation>
    </message>
    <message>
        <source>Name of the collection:</source>
        <translation>集合名称：</translation>
    </message>
    <message>
        <source>My Collection</source>
        <translation>我的集合</translation>
    </message>
    <message>
        <source>New Folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Name of the folder:</source>
        <translation>文件夹名称：</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Save to Collection</source>
        <translation>保存到集合</translation>
    </message>
    <message>
        <source>Name of the collection entry:</source>
        <translation>集合条目名称：</translation>
    </message>
    <message>
        <source>Saved to the collection</source>
        <translation>已保存到集合</translation>
    </message>
    <message>
        <source>Delete “%1”</source>
        <translation>删除“%1”</translation>
    </message>
    <message>
        <source>Deleted “%1”. Ctrl+Z in the collections (or Undo in their menu) brings it back.</source>
        <translation>已删除“%1”。在集合中按 Ctrl+Z（或使用其菜单中的“撤销”）可恢复。</translation>
    </message>
    <message>
        <source>Import Collection</source>
        <translation>导入集合</translation>
    </message>
    <message>
        <source>Collections, Postman collections (*.json);;All files (*)</source>
        <translation>集合、Postman 集合 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Imported %1</source>
        <translation>已导入 %1</translation>
    </message>
    <message>
        <source>Export Collection</source>
        <translation>导出集合</translation>
    </message>
    <message>
        <source>Collections (*.json)</source>
        <translation>集合 (*.json)</translation>
    </message>
    <message>
        <source>Exported “%1” to %2</source>
        <translation>已将“%1”导出到 %2</translation>
    </message>
    <message>
        <source>Rename “%1”</source>
        <translation>重命名“%1”</translation>
    </message>
    <message>
        <source>Move “%1”</source>
        <translation>移动“%1”</translation>
    </message>
</context>
<context>
    <name>wst::ComposerWidget</name>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>Message composer</source>
        <translation>消息编辑区</translation>
    </message>
    <message>
        <source>Message type</source>
        <translation>消息类型</translation>
    </message>
    <message>
        <source>How the text is sent: as text, as checked JSON, as binary written in hex or base64, or a file sent as binary</source>
        <translation>文本的发送方式：作为文本、作为经过检查的 JSON、作为以十六进制或 base64 书写的二进制数据，或将文件作为二进制发送</translation>
    </message>
    <message>
        <source>Format JSON</source>
        <translation>格式化 JSON</translation>
    </message>
    <message>
        <source>Re-indent the JSON (only white space changes)</source>
        <translation>重新缩进 JSON（只改变空白）</translation>
    </message>
    <message>
        <source>Recent messages</source>
        <translation>最近的消息</translation>
    </message>
    <message>
        <source>Messages sent from this tab (Ctrl+Up / Ctrl+Down in the editor)</source>
        <translation>从此标签页发送过的消息（在编辑器中按 Ctrl+Up / Ctrl+Down）</translation>
    </message>
    <message>
        <source>&amp;Recent</source>
        <translation>最近(&amp;R)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Chosen file</source>
        <translation>所选文件</translation>
    </message>
    <message>
        <source>The file sent as one binary message</source>
        <translation>作为一条二进制消息发送的文件</translation>
    </message>
    <message>
        <source>Choose file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Choose a file to send as one binary message</source>
        <translation>选择一个文件，作为一条二进制消息发送</translation>
    </message>
    <message>
        <source>Message status</source>
        <translation>消息状态</translation>
    </message>
    <message>
        <source>Whether the message is valid, and its size</source>
        <translation>消息是否有效，以及其大小</translation>
    </message>
    <message>
        <source>Ctrl+Enter to send</source>
        <translation>按 Ctrl+Enter 发送</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send the message (Ctrl+Enter)</source>
        <translation>发送消息（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <source>Type a message…  Ctrl+Enter sends it, Ctrl+Up recalls the last one.</source>
        <translation>输入消息…  Ctrl+Enter 发送，Ctrl+Up 调出上一条。</translation>
    </message>
    <message>
        <source>{&quot;type&quot;: &quot;hello&quot;}</source>
        <translation>{&quot;type&quot;: &quot;hello&quot;}</translation>
    </message>
    <message>
        <source>Hex bytes, e.g. 48 65 6c 6c 6f or 0x01:0x02</source>
        <translation>十六进制字节，例如 48 65 6c 6c 6f 或 0x01:0x02</translation>
    </message>
    <message>
        <source>Base64, e.g. SGVsbG8=</source>
        <translation>Base64，例如 SGVsbG8=</translation>
    </message>
    <message>
        <source>Choose a file to send</source>
        <translation>选择要发送的文件</translation>
    </message>
    <message>
        <source>Empty message</source>
        <translation>空消息</translation>
    </message>
    <message>
        <source>Valid JSON · %1</source>
        <translation>有效的 JSON · %1</translation>
    </message>
    <message>
        <source>%1 of binary data</source>
        <translation>%1 的二进制数据</translation>
    </message>
    <message>
        <source>No file chosen</source>
        <translation>未选择文件</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 will be sent as one binary message</source>
        <translation>%1 将作为一条二进制消息发送</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>%1
To send it as it is, switch the type to Text.</source>
        <translation>%1
若要按原样发送，请将类型切换为“文本”。</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Clear recent messages</source>
        <translation>清除最近的消息</translation>
    </message>
    <message>
        <source>For&amp;mat</source>
        <translation>格式化(&amp;M)</translation>
    </message>
    <message>
        <source>Choos&amp;e file…</source>
        <translation>选择文件(&amp;E)…</translation>
    </message>
    <message>
        <source>Text message · %1 in UTF-8</source>
        <translation>文本消息 · UTF-8 编码 %1</translation>
    </message>
    <message>
        <source>Save message</source>
        <translation>保存消息</translation>
    </message>
    <message>
        <source>Keep this message under a name in the Saved messages panel, for this connection (Ctrl+D) or for every connection</source>
        <translation>以一个名称将此消息保存到“已保存的消息”面板中，仅用于此连接（Ctrl+D）或用于所有连接</translation>
    </message>
    <message>
        <source>Sa&amp;ve…</source>
        <translation>保存(&amp;V)…</translation>
    </message>
    <message>
        <source>Save for This &amp;Connection…</source>
        <translation>为此连接保存(&amp;C)…</translation>
    </message>
    <message>
        <source>Save the message in this connection&apos;s list (Ctrl+D)</source>
        <translation>将消息保存到此连接的列表中（Ctrl+D）</translation>
    </message>
    <message>
        <source>Save for &amp;Every Connection…</source>
        <translation>为所有连接保存(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the message in the global list, shown in every connection</source>
        <translation>将消息保存到全局列表中，所有连接均可见</translation>
    </message>
    <message>
        <source>The message to send. Ctrl+Enter sends it; Ctrl+Up and Ctrl+Down recall sent messages. {{name}} is filled from the variables; write {{{{ for a literal {{.</source>
        <translation>要发送的消息。Ctrl+Enter 发送；Ctrl+Up 和 Ctrl+Down 调出已发送的消息。{{name}} 会用变量的值填充；写 {{{{ 可得到字面的 {{。</translation>
    </message>
    <message>
        <source>A file cannot be saved or repeated: choose Text, JSON, hex or base64.</source>
        <translation>文件类型的消息无法保存或重复发送：请选择文本、JSON、十六进制或 base64。</translation>
    </message>
    <message>
        <source>JSON sent as %1, e.g. {&quot;price&quot;: 1.5, &quot;raw&quot;: {&quot;$base64&quot;: &quot;AAE=&quot;}}</source>
        <translation>以 %1 发送的 JSON，例如 {&quot;price&quot;: 1.5, &quot;raw&quot;: {&quot;$base64&quot;: &quot;AAE=&quot;}}</translation>
    </message>
    <message>
        <source>CBOR</source>
        <translation>CBOR</translation>
    </message>
    <message>
        <source>MessagePack</source>
        <translation>MessagePack</translation>
    </message>
    <message>
        <source>Valid JSON · %1 of %2</source>
        <translation>有效的 JSON · %2 中的 %1</translation>
    </message>
    <message>
        <source>JSON sent as the protobuf message type the tab’s decoder sends, e.g. {&quot;op&quot;: &quot;ping&quot;, &quot;seq&quot;: 1}</source>
        <translation>以此标签页解码器发送的 protobuf 消息类型发送的 JSON，例如 {&quot;op&quot;: &quot;ping&quot;, &quot;seq&quot;: 1}</translation>
    </message>
    <message>
        <source>Valid JSON · %1 of protobuf %2</source>
        <translation>有效的 JSON · protobuf %2 中的 %1</translation>
    </message>
    <message>
        <source>Protobuf: a local server has no decoder to encode with; send it from a client tab, or choose another type.</source>
        <translation>Protobuf：本地服务器没有可用于编码的解码器；请从客户端标签页发送，或选择其他类型。</translation>
    </message>
    <message>
        <source>A JSON object sent as a BSON document, e.g. {&quot;price&quot;: 1.5, &quot;id&quot;: {&quot;$oid&quot;: &quot;5f1d7f0e2c8b9a0001a1b2c3&quot;}}</source>
        <translation>以 BSON 文档发送的 JSON 对象，例如 {&quot;price&quot;: 1.5, &quot;id&quot;: {&quot;$oid&quot;: &quot;5f1d7f0e2c8b9a0001a1b2c3&quot;}}</translation>
    </message>
    <message>
        <source>BSON</source>
        <translation>BSON</translation>
    </message>
</context>
<context>
    <name>wst::CompressionOptionsWidget</name>
    <message>
        <source>Offer permessage-&amp;deflate</source>
        <translation>提供 permessage-deflate(&amp;D)</translation>
    </message>
    <message>
        <source>Offer permessage-deflate</source>
        <translation>提供 permessage-deflate</translation>
    </message>
    <message>
        <source>Ask the server to compress messages (RFC 7692), as browsers do. wstester inflates what the server compresses and compresses what you send.</source>
        <translation>像浏览器一样请求服务器压缩消息（RFC 7692）。wstester 会解压服务器压缩的内容，并压缩你发送的内容。</translation>
    </message>
    <message>
        <source>permessage-deflate parameters</source>
        <translation>permessage-deflate 参数</translation>
    </message>
    <message>
        <source>Parameters to offer, separated by semicolons: client_max_window_bits=9..15, server_max_window_bits=8..15, client_no_context_takeover, server_no_context_takeover</source>
        <translation>要提供的参数，以分号分隔：client_max_window_bits=9..15、server_max_window_bits=8..15、client_no_context_takeover、server_no_context_takeover</translation>
    </message>
    <message>
        <source>parameters, e.g. server_max_window_bits=10; server_no_context_takeover</source>
        <translation>参数，例如 server_max_window_bits=10; server_no_context_takeover</translation>
    </message>
</context>
<context>
    <name>wst::ConnectionBar</name>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>The WebSocket URL (ws:// or wss://). Enter connects; the list holds recently opened URLs.</source>
        <translation>WebSocket URL（ws:// 或 wss://）。按 Enter 连接；列表中保存最近打开的 URL。</translation>
    </message>
    <message>
        <source>ws://127.0.0.1:8080/ or wss://example.com/feed</source>
        <translation>ws://127.0.0.1:8080/ 或 wss://example.com/feed</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Open the connection (Enter)</source>
        <translation>打开连接（Enter）</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL：</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <source>The state of the connection</source>
        <translation>连接的状态</translation>
    </message>
    <message>
        <source>Request options</source>
        <translation>请求选项</translation>
    </message>
    <message>
        <source>Show or hide the request options: headers, subprotocols, Origin, timeout, TLS, proxy and auto-reconnect</source>
        <translation>显示或隐藏请求选项：请求头、子协议、Origin、超时、TLS、代理和自动重新连接</translation>
    </message>
    <message>
        <source>Show response</source>
        <translation>显示响应</translation>
    </message>
    <message>
        <source>Show the server&apos;s answer in the handshake inspector (Ctrl+I)</source>
        <translation>在握手查看器中显示服务器的应答（Ctrl+I）</translation>
    </message>
    <message>
        <source>Reconnect countdown</source>
        <translation>重新连接倒计时</translation>
    </message>
    <message>
        <source>When the next automatic reconnect attempt starts</source>
        <translation>下一次自动重新连接尝试的开始时间</translation>
    </message>
    <message>
        <source>Cancel reconnect</source>
        <translation>取消重新连接</translation>
    </message>
    <message>
        <source>Stop reconnecting automatically; the connection stays closed</source>
        <translation>停止自动重新连接；连接保持关闭</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop connecting</source>
        <translation>停止连接</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>断开连接(&amp;D)</translation>
    </message>
    <message>
        <source>Close the connection normally (1000)</source>
        <translation>正常关闭连接（1000）</translation>
    </message>
    <message>
        <source>&amp;Abort</source>
        <translation>中止(&amp;A)</translation>
    </message>
    <message>
        <source>Drop the connection without waiting for the server&apos;s Close frame</source>
        <translation>直接断开连接，不等待服务器的关闭帧</translation>
    </message>
    <message>
        <source>Wait until the history is loaded</source>
        <translation>请等待历史记录加载完成</translation>
    </message>
    <message>
        <source>Fix the request options first: %1</source>
        <translation>请先修正请求选项：%1</translation>
    </message>
    <message>
        <source>Request options (problem)</source>
        <translation>请求选项（有问题）</translation>
    </message>
    <message>
        <source>Request options: %1</source>
        <translation>请求选项：%1</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <source>Show the server&apos;s status line, headers and body in the handshake inspector (Ctrl+I)</source>
        <translation>在握手查看器中显示服务器的状态行、响应头和响应体（Ctrl+I）</translation>
    </message>
    <message>
        <source>Show why the server could not be reached in the handshake inspector (Ctrl+I)</source>
        <translation>在握手查看器中显示无法连接到服务器的原因（Ctrl+I）</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s (attempt %2)…</source>
        <translation>%1 秒后重新连接（第 %2 次尝试）…</translation>
    </message>
    <message>
        <source>Certificate errors ignored</source>
        <translation>已忽略证书错误</translation>
    </message>
    <message>
        <source>Save to &amp;Collection…</source>
        <translation>保存到集合(&amp;C)…</translation>
    </message>
    <message>
        <source>Save to collection</source>
        <translation>保存到集合</translation>
    </message>
    <message>
        <source>Keep the URL, these options and the saved messages as a collection entry, to open them again from the workspace&apos;s Collections page (F9)</source>
        <translation>将 URL、这些选项和已保存的消息保存为集合条目，以便之后从工作区的“集合”页面（F9）再次打开</translation>
    </message>
    <message>
        <source>The server&apos;s certificate was not verified: these errors were ignored for this connection on your request.</source>
        <translation>服务器证书未通过验证：应您的要求，本连接忽略了以下错误。</translation>
    </message>
</context>
<context>
    <name>wst::ConnectionHistory</name>
    <message>
        <source>The connection history %1 cannot be written: %2</source>
        <translation>无法写入连接历史 %1：%2</translation>
    </message>
    <message>
        <source>The connection history %1 is damaged and could not be copied aside; it was left as it is.</source>
        <translation>连接历史 %1 已损坏且无法另存副本；文件保持原样。</translation>
    </message>
    <message>
        <source>The damaged connection history was kept as %1.</source>
        <translation>已损坏的连接历史已保留为 %1。</translation>
    </message>
    <message>
        <source>The connection history %1 cannot be read: %2</source>
        <translation>无法读取连接历史 %1：%2</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>not a connection entry</source>
        <translation>不是连接记录</translation>
    </message>
    <message>
        <source>The connection history %1 is damaged at line %2 (%3); that line is skipped and the file is left as it is.</source>
        <translation>连接历史 %1 在第 %2 行已损坏（%3）；已跳过该行，文件保持原样。</translation>
    </message>
</context>
<context>
    <name>wst::ConnectionHistoryBinder</name>
    <message>
        <source>Closed before it opened</source>
        <translation>在打开前已关闭</translation>
    </message>
</context>
<context>
    <name>wst::ConnectionHistoryModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Open for</source>
        <translation>打开时长</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>已打开</translation>
    </message>
    <message>
        <source>Opened (%1)</source>
        <translation>已打开（%1）</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>open</source>
        <translation>打开中</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
</context>
<context>
    <name>wst::ConnectionHistoryPanel</name>
    <message>
        <source>Connection history</source>
        <translation>连接历史</translation>
    </message>
    <message>
        <source>Search the connection history</source>
        <translation>搜索连接历史</translation>
    </message>
    <message>
        <source>Shows the connections whose URL or outcome contains this text</source>
        <translation>显示 URL 或结果包含此文本的连接</translation>
    </message>
    <message>
        <source>Search URL or outcome</source>
        <translation>搜索 URL 或结果</translation>
    </message>
    <message>
        <source>Connections made</source>
        <translation>已建立的连接</translation>
    </message>
    <message>
        <source>Every connection a client tab made, newest first. Enter or a double-click opens it again in a new tab.</source>
        <translation>客户端标签页建立的每个连接，最新的在前。按 Enter 或双击可在新标签页中再次打开。</translation>
    </message>
    <message>
        <source>Open in a New Tab</source>
        <translation>在新标签页中打开</translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation>复制 URL</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Clear History…</source>
        <translation>清除历史…</translation>
    </message>
    <message>
        <source>The history keeps no secrets: fill in %1, then connect.</source>
        <translation>历史不保存机密信息：请先填写 %1，再连接。</translation>
    </message>
    <message>
        <source>Clear History</source>
        <translation>清除历史</translation>
    </message>
    <message>
        <source>Forget all %1 connections of the history? This cannot be undone.</source>
        <translation>要忘记历史中的全部 %1 个连接吗？此操作无法撤销。</translation>
    </message>
</context>
<context>
    <name>wst::ConnectionPage</name>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>wst::ConnectionTabWidget</name>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>One tab per connection or local server. Double-click a tab to rename it; drag to reorder.</source>
        <translation>每个连接或本地服务器一个标签页。双击标签页可重命名；拖动可调整顺序。</translation>
    </message>
    <message>
        <source>Connection tabs</source>
        <translation>连接标签页</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>新建连接</translation>
    </message>
    <message>
        <source>Open a tab for a new connection (Ctrl+T)</source>
        <translation>为新连接打开一个标签页（Ctrl+T）</translation>
    </message>
    <message>
        <source>No connection open</source>
        <translation>没有打开的连接</translation>
    </message>
    <message>
        <source>Press Ctrl+T to open a connection in a new tab.</source>
        <translation>按 Ctrl+T 在新标签页中打开一个连接。</translation>
    </message>
    <message>
        <source>&amp;New connection</source>
        <translation>新建连接(&amp;N)</translation>
    </message>
    <message>
        <source>New &amp;local server</source>
        <translation>新建本地服务器(&amp;L)</translation>
    </message>
    <message>
        <source>New local server</source>
        <translation>新建本地服务器</translation>
    </message>
    <message>
        <source>Open a tab with a WebSocket server on this machine, for testing clients (Ctrl+Shift+T)</source>
        <translation>打开一个在本机运行 WebSocket 服务器的标签页，用于测试客户端（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <source>Rename Tab</source>
        <translation>重命名标签页</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Close Tab</source>
        <translation>关闭标签页(&amp;C)</translation>
    </message>
    <message>
        <source>Close &amp;Other Tabs</source>
        <translation>关闭其他标签页(&amp;O)</translation>
    </message>
</context>
<context>
    <name>wst::DecoderDialog</name>
    <message>
        <source>Decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <source>How this tab reads binary messages in the message details. The history and Hex keep the bytes as received.</source>
        <translation>此标签页在消息详情中如何读取二进制消息。历史记录和十六进制视图保留收到的原始字节。</translation>
    </message>
    <message>
        <source>None (hex)</source>
        <translation>无（十六进制）</translation>
    </message>
    <message>
        <source>Protocol Buffers</source>
        <translation>Protocol Buffers</translation>
    </message>
    <message>
        <source>.proto files</source>
        <translation>.proto 文件</translation>
    </message>
    <message>
        <source>The .proto files that define the messages; their imports are found in the import paths</source>
        <translation>定义消息的 .proto 文件；它们导入的文件在导入路径中查找</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <source>Add a .proto file</source>
        <translation>添加 .proto 文件</translation>
    </message>
    <message>
        <source>Choose a .proto file to read</source>
        <translation>选择要读取的 .proto 文件</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the .proto files</source>
        <translation>移除 .proto 文件</translation>
    </message>
    <message>
        <source>Remove the selected .proto files from the list</source>
        <translation>从列表中移除所选的 .proto 文件</translation>
    </message>
    <message>
        <source>Import paths</source>
        <translation>导入路径</translation>
    </message>
    <message>
        <source>Folders where imported .proto files are looked for, separated by “%1”; the folder of each file is searched too</source>
        <translation>查找被导入 .proto 文件的文件夹，以“%1”分隔；每个文件所在的文件夹也会被搜索</translation>
    </message>
    <message>
        <source>Type of received messages</source>
        <translation>接收消息的类型</translation>
    </message>
    <message>
        <source>The message type that received binary messages are read as</source>
        <translation>接收的二进制消息按此消息类型读取</translation>
    </message>
    <message>
        <source>Type of sent messages</source>
        <translation>发送消息的类型</translation>
    </message>
    <message>
        <source>The message type that sent binary messages are read as</source>
        <translation>发送的二进制消息按此消息类型读取</translation>
    </message>
    <message>
        <source>First-byte rule</source>
        <translation>首字节规则</translation>
    </message>
    <message>
        <source>Optional: when the first byte of a payload names its type, list byte=type pairs; the rest of the payload is the message. Bytes not listed use the type of their direction.</source>
        <translation>可选：当负载的第一个字节标明其类型时，列出 字节=类型 对；负载的其余部分即为消息。未列出的字节使用其方向对应的类型。</translation>
    </message>
    <message>
        <source>e.g. 1=chat.v1.Ping, 2=chat.v1.Pong</source>
        <translation>例如 1=chat.v1.Ping, 2=chat.v1.Pong</translation>
    </message>
    <message>
        <source>The .proto files</source>
        <translation>.proto 文件</translation>
    </message>
    <message>
        <source>What reading the .proto files gave</source>
        <translation>读取 .proto 文件的结果</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Import paths:</source>
        <translation>导入路径：</translation>
    </message>
    <message>
        <source>Received as:</source>
        <translation>接收时读作：</translation>
    </message>
    <message>
        <source>Sent as:</source>
        <translation>发送时读作：</translation>
    </message>
    <message>
        <source>First byte:</source>
        <translation>首字节：</translation>
    </message>
    <message>
        <source>Why the decoder cannot be used as it is</source>
        <translation>该解码器按当前设置无法使用的原因</translation>
    </message>
    <message>
        <source>Use this decoder</source>
        <translation>使用此解码器</translation>
    </message>
    <message>
        <source>Use this decoder for the tab&apos;s binary messages</source>
        <translation>对此标签页的二进制消息使用此解码器</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Keep the decoder the tab had</source>
        <translation>保留标签页原有的解码器</translation>
    </message>
    <message>
        <source>&amp;Decoder:</source>
        <translation>解码器(&amp;D)：</translation>
    </message>
    <message>
        <source>Add a .proto File</source>
        <translation>添加 .proto 文件</translation>
    </message>
    <message>
        <source>Protocol Buffers (*.proto);;All files (*)</source>
        <translation>Protocol Buffers (*.proto);;所有文件 (*)</translation>
    </message>
    <message>
        <source>First byte: “%1” is not byte=type.</source>
        <translation>首字节：“%1”不是 字节=类型 的形式。</translation>
    </message>
    <message>
        <source>Add the .proto files that define the messages.</source>
        <translation>请添加定义消息的 .proto 文件。</translation>
    </message>
    <message>
        <source>Message types defined: %1.</source>
        <translation>已定义的消息类型：%1。</translation>
    </message>
    <message>
        <source>How binary payloads are read: not at all (hex), MessagePack, CBOR, BSON or Protocol Buffers</source>
        <translation>二进制负载的读取方式：不解码（十六进制）、MessagePack、CBOR、BSON 或 Protocol Buffers</translation>
    </message>
</context>
<context>
    <name>wst::DetailPane</name>
    <message>
        <source>Message details</source>
        <translation>消息详情</translation>
    </message>
    <message>
        <source>The content of the selected message</source>
        <translation>所选消息的内容</translation>
    </message>
    <message>
        <source>Message summary</source>
        <translation>消息摘要</translation>
    </message>
    <message>
        <source>Time, direction, kind and size of the selected message</source>
        <translation>所选消息的时间、方向、类型和大小</translation>
    </message>
    <message>
        <source>View as</source>
        <translation>显示为</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Hex</source>
        <translation>十六进制</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy payload</source>
        <translation>复制负载</translation>
    </message>
    <message>
        <source>Copy the payload as text (as hex for binary messages)</source>
        <translation>以文本形式复制负载（二进制消息以十六进制复制）</translation>
    </message>
    <message>
        <source>Copy &amp;Payload</source>
        <translation>复制负载(&amp;P)</translation>
    </message>
    <message>
        <source>Copy as Pretty &amp;JSON</source>
        <translation>复制为格式化的 JSON(&amp;J)</translation>
    </message>
    <message>
        <source>Format error</source>
        <translation>格式错误</translation>
    </message>
    <message>
        <source>Message content</source>
        <translation>消息内容</translation>
    </message>
    <message>
        <source>The content of the selected message. Ctrl+A selects all, Ctrl+C copies.</source>
        <translation>所选消息的内容。Ctrl+A 全选，Ctrl+C 复制。</translation>
    </message>
    <message>
        <source>Formatting</source>
        <translation>正在格式化</translation>
    </message>
    <message>
        <source>Select a message to see its content.</source>
        <translation>选择一条消息以查看其内容。</translation>
    </message>
    <message>
        <source>Formatting %1…</source>
        <translation>正在格式化 %1…</translation>
    </message>
    <message>
        <source>Not valid JSON at byte %1 (line %2, column %3): %4</source>
        <translation>不是有效的 JSON，位于第 %1 字节（第 %2 行，第 %3 列）：%4</translation>
    </message>
    <message>
        <source>This message has no payload.</source>
        <translation>此消息没有负载。</translation>
    </message>
    <message>
        <source>No message selected</source>
        <translation>未选择消息</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>round trip %1 ms</source>
        <translation>往返 %1 ms</translation>
    </message>
    <message>
        <source>unsolicited</source>
        <translation>未经请求</translation>
    </message>
    <message>
        <source>code %1 (%2)</source>
        <translation>代码 %1（%2）</translation>
    </message>
    <message>
        <source>Tree</source>
        <translation>树</translation>
    </message>
    <message>
        <source>Open in Window</source>
        <translation>在窗口中打开</translation>
    </message>
    <message>
        <source>Open in a window</source>
        <translation>在窗口中打开</translation>
    </message>
    <message>
        <source>Read this message in a window of its own (also: double-click the message in the history)</source>
        <translation>在单独的窗口中阅读此消息（也可在历史记录中双击该消息）</translation>
    </message>
    <message>
        <source>Find works in the Text, JSON and Hex views</source>
        <translation>查找适用于文本、JSON 和十六进制视图</translation>
    </message>
    <message>
        <source>No message to search</source>
        <translation>没有可搜索的消息</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Decoding %1…</source>
        <translation>正在解码 %1…</translation>
    </message>
    <message>
        <source>Not decoded: %1</source>
        <translation>未解码：%1</translation>
    </message>
    <message>
        <source>Decoded as %1 (%2 bytes) — Hex shows the original bytes</source>
        <translation>已解码为 %1（%2 字节）— 十六进制视图显示原始字节</translation>
    </message>
    <message>
        <source>How to show the content: Auto picks JSON for valid JSON, and for binary the decoded JSON when the tab has a decoder, hex otherwise</source>
        <translation>内容的显示方式：“自动”对有效 JSON 显示 JSON；对二进制数据，若标签页设有解码器则显示解码后的 JSON，否则显示十六进制</translation>
    </message>
    <message>
        <source>Decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <source>The tab&apos;s decoder read this binary message; choose Hex to see its bytes</source>
        <translation>此二进制消息已由标签页的解码器读取；选择“十六进制”可查看其字节</translation>
    </message>
</context>
<context>
    <name>wst::DiffDialog</name>
    <message>
        <source>Compare Messages</source>
        <translation>比较消息</translation>
    </message>
    <message>
        <source>Compare messages</source>
        <translation>比较消息</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>The earlier of the two messages</source>
        <translation>两条消息中较早的一条</translation>
    </message>
    <message>
        <source>After</source>
        <translation>之后</translation>
    </message>
    <message>
        <source>The later of the two messages</source>
        <translation>两条消息中较晚的一条</translation>
    </message>
    <message>
        <source>Before:</source>
        <translation>之前：</translation>
    </message>
    <message>
        <source>After:</source>
        <translation>之后：</translation>
    </message>
    <message>
        <source>Summary of the differences</source>
        <translation>差异摘要</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>What changed from the first message to the second</source>
        <translation>从第一条消息到第二条消息的变化</translation>
    </message>
    <message>
        <source>Close the comparison</source>
        <translation>关闭比较</translation>
    </message>
    <message>
        <source>These messages are too large to compare (over %1 each at most).</source>
        <translation>这些消息太大，无法比较（每条最多 %1）。</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>The two JSON documents are the same.</source>
        <translation>两个 JSON 文档相同。</translation>
    </message>
    <message>
        <source>JSON: %1 changed, %2 added, %3 removed.</source>
        <translation>JSON：%1 处修改，%2 处新增，%3 处删除。</translation>
    </message>
    <message>
        <source>Only the first %1 differences are listed.</source>
        <translation>只列出前 %1 处差异。</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>The two messages are the same text.</source>
        <translation>两条消息的文本相同。</translation>
    </message>
    <message>
        <source>Text: %1 lines removed, %2 added.</source>
        <translation>文本：删除 %1 行，新增 %2 行。</translation>
    </message>
    <message>
        <source>Only the first %1 lines are listed.</source>
        <translation>只列出前 %1 行。</translation>
    </message>
</context>
<context>
    <name>wst::EnvironmentEditor</name>
    <message>
        <source>&amp;Add variable</source>
        <translation>添加变量(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Each name is written as {{name}} in a message and replaced by its value when sent. Insert adds a row, Delete removes the selected ones.</source>
        <translation>每个名称在消息中写作 {{name}}，发送时会被替换为其值。按 Insert 添加一行，按 Delete 移除所选行。</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>添加变量</translation>
    </message>
    <message>
        <source>Add a variable (Insert)</source>
        <translation>添加一个变量（Insert）</translation>
    </message>
    <message>
        <source>Remove variable</source>
        <translation>移除变量</translation>
    </message>
    <message>
        <source>Remove the selected variables (Delete)</source>
        <translation>移除所选变量（Delete）</translation>
    </message>
    <message>
        <source>Built in: {{timestamp}} (ms since 1970), {{uuid}}, {{counter}} (1, 2, 3… in a periodic send). Write {{{{ to send a literal {{.</source>
        <translation>内置变量：{{timestamp}}（自 1970 年起的毫秒数）、{{uuid}}、{{counter}}（定时发送中依次为 1、2、3…）。写 {{{{ 可发送字面的 {{。</translation>
    </message>
</context>
<context>
    <name>wst::EnvironmentLibrary</name>
    <message>
        <source>%1 was skipped: %2</source>
        <translation>已跳过 %1：%2</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>There is already an environment named “%1”.</source>
        <translation>已存在名为“%1”的环境。</translation>
    </message>
    <message>
        <source>There is no environment named “%1”.</source>
        <translation>不存在名为“%1”的环境。</translation>
    </message>
    <message>
        <source>Cannot delete %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>No secret service: secret values are kept only until wstester quits.</source>
        <translation>没有机密服务：机密值只保留到 wstester 退出为止。</translation>
    </message>
</context>
<context>
    <name>wst::EnvironmentSwitcher</name>
    <message>
        <source>Active environment</source>
        <translation>活动环境</translation>
    </message>
    <message>
        <source>The environment whose variables fill {{name}} in this window (a session variable of the same name wins)</source>
        <translation>其变量用于填充此窗口中 {{name}} 的环境（同名的会话变量优先）</translation>
    </message>
    <message>
        <source>No environment</source>
        <translation>无环境</translation>
    </message>
    <message>
        <source>%1 (missing)</source>
        <translation>%1（缺失）</translation>
    </message>
    <message>
        <source>Manage environments…</source>
        <translation>管理环境…</translation>
    </message>
</context>
<context>
    <name>wst::EnvironmentsPanel</name>
    <message>
        <source>Environments</source>
        <translation>环境</translation>
    </message>
    <message>
        <source>Named sets of variables, each a file in the data folder; the bold one is active in this window</source>
        <translation>命名的变量集，每个都是数据文件夹中的一个文件；粗体显示的是此窗口中的活动环境</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>The selected environment&apos;s variables: {{name}} in URLs, headers, subprotocols, messages and reply rules. A secret&apos;s value is never written to a file.</source>
        <translation>所选环境的变量：用于 URL、请求头、子协议、消息和回复规则中的 {{name}}。机密的值从不写入文件。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>机密</translation>
    </message>
    <message>
        <source>Show secret &amp;values</source>
        <translation>显示机密值(&amp;V)</translation>
    </message>
    <message>
        <source>Show secret values</source>
        <translation>显示机密值</translation>
    </message>
    <message>
        <source>Shows the values of secret variables instead of dots</source>
        <translation>显示机密变量的值，而不是圆点</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Adds an environment</source>
        <translation>添加一个环境</translation>
    </message>
    <message>
        <source>Rena&amp;me</source>
        <translation>重命名(&amp;M)</translation>
    </message>
    <message>
        <source>Renames the selected environment</source>
        <translation>重命名所选环境</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>创建副本(&amp;U)</translation>
    </message>
    <message>
        <source>Copies the selected environment under a new name</source>
        <translation>以新名称复制所选环境</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Deletes the selected environment, its file and its secrets</source>
        <translation>删除所选环境及其文件和机密</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Adds an environment from a file</source>
        <translation>从文件添加环境</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Writes the selected environment to a file (secret values only if you say so)</source>
        <translation>将所选环境写入文件（仅在您同意时包含机密值）</translation>
    </message>
    <message>
        <source>Set &amp;active</source>
        <translation>设为当前(&amp;A)</translation>
    </message>
    <message>
        <source>Makes the selected environment the active one in this window</source>
        <translation>将所选环境设为此窗口中的活动环境</translation>
    </message>
    <message>
        <source>Add &amp;variable</source>
        <translation>添加变量(&amp;V)</translation>
    </message>
    <message>
        <source>Adds a variable</source>
        <translation>添加一个变量</translation>
    </message>
    <message>
        <source>&amp;Remove variable</source>
        <translation>移除变量(&amp;R)</translation>
    </message>
    <message>
        <source>Removes the selected variable</source>
        <translation>移除所选变量</translation>
    </message>
    <message>
        <source>Active in this window</source>
        <translation>在此窗口中处于活动状态</translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation>%1（活动）</translation>
    </message>
    <message>
        <source>secret value, hidden</source>
        <translation>机密值，已隐藏</translation>
    </message>
    <message>
        <source>A secret&apos;s value is kept in the system&apos;s secret service, never in a file</source>
        <translation>机密的值保存在系统的机密服务中，从不写入文件</translation>
    </message>
    <message>
        <source>The variable in row %1 has no name.</source>
        <translation>第 %1 行的变量没有名称。</translation>
    </message>
    <message>
        <source>New Environment</source>
        <translation>新建环境</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Rename Environment</source>
        <translation>重命名环境</translation>
    </message>
    <message>
        <source>Duplicate Environment</source>
        <translation>复制环境</translation>
    </message>
    <message>
        <source>Name of the copy:</source>
        <translation>副本名称：</translation>
    </message>
    <message>
        <source>%1 copy</source>
        <translation>%1 副本</translation>
    </message>
    <message>
        <source>Delete Environment</source>
        <translation>删除环境</translation>
    </message>
    <message>
        <source>Delete the environment “%1”, its file and its secret values?</source>
        <translation>要删除环境“%1”及其文件和机密值吗？</translation>
    </message>
    <message>
        <source>Import Environment</source>
        <translation>导入环境</translation>
    </message>
    <message>
        <source>Environments (*.json);;All files (*)</source>
        <translation>环境 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export Environment</source>
        <translation>导出环境</translation>
    </message>
    <message>
        <source>Include Secret Values?</source>
        <translation>包含机密值？</translation>
    </message>
    <message>
        <source>Write the secret values into the exported file, in clear? Without them the file says only which variables are secret.</source>
        <translation>要以明文将机密值写入导出的文件吗？不包含时，文件中只会注明哪些变量是机密的。</translation>
    </message>
</context>
<context>
    <name>wst::ExportOptionsDialog</name>
    <message>
        <source>Export Session</source>
        <translation>导出会话</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>&amp;HAR (HTTP Archive)</source>
        <translation>&amp;HAR（HTTP 存档）</translation>
    </message>
    <message>
        <source>HAR</source>
        <translation>HAR</translation>
    </message>
    <message>
        <source>Each connection with its handshake and its text and binary messages. Chrome DevTools and HAR viewers read it.</source>
        <translation>每个连接及其握手、文本消息和二进制消息。Chrome DevTools 和 HAR 查看器都能读取。</translation>
    </message>
    <message>
        <source>&amp;NDJSON</source>
        <translation>&amp;NDJSON</translation>
    </message>
    <message>
        <source>NDJSON</source>
        <translation>NDJSON</translation>
    </message>
    <message>
        <source>&amp;JSON</source>
        <translation>&amp;JSON</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>One document with the tabs, their settings, handshakes and messages.</source>
        <translation>单个文档，包含各标签页及其设置、握手和消息。</translation>
    </message>
    <message>
        <source>&amp;CSV</source>
        <translation>&amp;CSV</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>导出内容</translation>
    </message>
    <message>
        <source>Whole &amp;session</source>
        <translation>整个会话(&amp;S)</translation>
    </message>
    <message>
        <source>Whole session</source>
        <translation>整个会话</translation>
    </message>
    <message>
        <source>Every tab of the session with all its rows</source>
        <translation>会话的所有标签页及其全部行</translation>
    </message>
    <message>
        <source>Current &amp;tab: “%1”</source>
        <translation>当前标签页：“%1”(&amp;T)</translation>
    </message>
    <message>
        <source>Current &amp;tab</source>
        <translation>当前标签页(&amp;T)</translation>
    </message>
    <message>
        <source>Current tab</source>
        <translation>当前标签页</translation>
    </message>
    <message>
        <source>Only the rows of the current tab</source>
        <translation>仅当前标签页中的行</translation>
    </message>
    <message>
        <source>No tab is open</source>
        <translation>没有打开的标签页</translation>
    </message>
    <message>
        <source>Selected &amp;rows (%1)</source>
        <translation>所选行（%1）(&amp;R)</translation>
    </message>
    <message>
        <source>Selected &amp;rows (none selected)</source>
        <translation>所选行（未选择）(&amp;R)</translation>
    </message>
    <message>
        <source>Selected rows</source>
        <translation>所选行</translation>
    </message>
    <message>
        <source>Only the rows selected in the current tab&apos;s history</source>
        <translation>仅当前标签页历史记录中所选的行</translation>
    </message>
    <message>
        <source>Select rows in a tab&apos;s history first</source>
        <translation>请先在标签页的历史记录中选择行</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Choose the file to write</source>
        <translation>选择要写入的文件</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close without exporting</source>
        <translation>关闭而不导出</translation>
    </message>
    <message>
        <source>%1 files (%2)</source>
        <translation>%1 文件 (%2)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Export Session As</source>
        <translation>将会话导出为</translation>
    </message>
    <message>
        <source>%1 already exists. Do you want to replace it?</source>
        <translation>%1 已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>One JSON object per line for every row: for jq, grep and scripts, at any size.</source>
        <translation>每条记录一行 JSON 对象：适用于 jq、grep 和脚本，任意大小均可。</translation>
    </message>
    <message>
        <source>One line per row, for spreadsheets; binary payloads as base64.</source>
        <translation>每条记录一行，适用于电子表格；二进制负载以 base64 表示。</translation>
    </message>
    <message>
        <source>&amp;Include secrets</source>
        <translation>包含机密信息(&amp;I)</translation>
    </message>
    <message>
        <source>Include secrets</source>
        <translation>包含机密信息</translation>
    </message>
    <message>
        <source>Write Authorization, Proxy-Authorization, Cookie and Set-Cookie values, passphrases and proxy passwords as recorded. Unchecked, they are written as “(masked)” or left empty.</source>
        <translation>按记录原样写入 Authorization、Proxy-Authorization、Cookie 和 Set-Cookie 的值、密码短语和代理密码。不勾选时，它们写为“(masked)”或留空。</translation>
    </message>
    <message>
        <source>Unchecked, secret header values, passphrases and proxy passwords are masked.</source>
        <translation>不勾选时，机密请求头的值、密码短语和代理密码会被遮盖。</translation>
    </message>
    <message>
        <source>k&amp;6 load script</source>
        <translation>k&amp;6 负载脚本</translation>
    </message>
    <message>
        <source>k6 load script</source>
        <translation>k6 负载脚本</translation>
    </message>
    <message>
        <source>A k6 script that replays each client tab: its URL, handshake headers and subprotocols, and its sends with the recorded gaps.</source>
        <translation>一个 k6 脚本，重放每个客户端标签页：其 URL、握手请求头和子协议，以及按录制间隔进行的发送。</translation>
    </message>
    <message>
        <source>&amp;Artillery load script</source>
        <translation>&amp;Artillery 负载脚本</translation>
    </message>
    <message>
        <source>Artillery load script</source>
        <translation>Artillery 负载脚本</translation>
    </message>
    <message>
        <source>An Artillery scenario (YAML, engine ws) with each client tab&apos;s sends and the recorded gaps as think steps.</source>
        <translation>一个 Artillery 场景（YAML，engine ws），包含每个客户端标签页的发送，并以 think 步骤表示录制的间隔。</translation>
    </message>
</context>
<context>
    <name>wst::FaultsEditor</name>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source> messages</source>
        <translation> 条消息</translation>
    </message>
    <message>
        <source>Faults (for testing clients)</source>
        <translation>故障（用于测试客户端）</translation>
    </message>
    <message>
        <source>Dela&amp;y:</source>
        <translation>延迟(&amp;Y)：</translation>
    </message>
    <message>
        <source>±</source>
        <translation>±</translation>
    </message>
    <message>
        <source>Drop:</source>
        <translation>丢弃：</translation>
    </message>
    <message>
        <source>Frames:</source>
        <translation>帧数：</translation>
    </message>
    <message>
        <source>Clos&amp;e:</source>
        <translation>关闭(&amp;E)：</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>关闭码：</translation>
    </message>
    <message>
        <source>Drop connection:</source>
        <translation>断开连接：</translation>
    </message>
    <message>
        <source>Refuse ne&amp;xt:</source>
        <translation>拒绝接下来(&amp;X)：</translation>
    </message>
    <message>
        <source>with</source>
        <translation>状态码</translation>
    </message>
    <message>
        <source>Corrupt:</source>
        <translation>破坏：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Stop reading:</source>
        <translation>停止读取：</translation>
    </message>
    <message>
        <source>Delay every message</source>
        <translation>延迟每条消息</translation>
    </message>
    <message>
        <source>Every message the server sends waits this long first; the order is kept. 0: no delay.</source>
        <translation>服务器发送的每条消息先等待这么久；保持顺序。0：不延迟。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Delay jitter</source>
        <translation>延迟抖动</translation>
    </message>
    <message>
        <source>Each delay is longer or shorter by up to this much, at random (see the seed).</source>
        <translation>每次延迟随机增减最多这么多（见种子）。</translation>
    </message>
    <message>
        <source>Drop messages</source>
        <translation>丢弃消息</translation>
    </message>
    <message>
        <source>This share of the messages the server sends is dropped: recorded as dropped, never sent.</source>
        <translation>服务器发送的消息中按此比例丢弃：记录为已丢弃，不会发送。</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Frames per message</source>
        <translation>每条消息的帧数</translation>
    </message>
    <message>
        <source>Send each message split into this many frames (continuation frames). 1: one frame.</source>
        <translation>将每条消息拆成这么多帧（后续帧）发送。1：一帧。</translation>
    </message>
    <message>
        <source>one</source>
        <translation>一帧</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>on connect</source>
        <translation>连接时</translation>
    </message>
    <message>
        <source>after messages</source>
        <translation>若干条消息后</translation>
    </message>
    <message>
        <source>after a time</source>
        <translation>一段时间后</translation>
    </message>
    <message>
        <source>Close each client</source>
        <translation>关闭每个客户端</translation>
    </message>
    <message>
        <source>Close each client with the code and reason: right after its handshake, after so many messages sent to it, or so many milliseconds after it connected.</source>
        <translation>以指定的关闭码和原因关闭每个客户端：握手后立即关闭、向其发送若干条消息后关闭，或在其连接若干毫秒后关闭。</translation>
    </message>
    <message>
        <source>Close after</source>
        <translation>关闭时机</translation>
    </message>
    <message>
        <source>How many messages, or milliseconds, before the close.</source>
        <translation>关闭前的消息条数或毫秒数。</translation>
    </message>
    <message>
        <source>Fault close code</source>
        <translation>故障关闭码</translation>
    </message>
    <message>
        <source>The close code sent: 1000-1003, 1007-1014 or 3000-4999.</source>
        <translation>发送的关闭码：1000-1003、1007-1014 或 3000-4999。</translation>
    </message>
    <message>
        <source>Fault close reason</source>
        <translation>故障关闭原因</translation>
    </message>
    <message>
        <source>The close reason sent (at most 123 bytes).</source>
        <translation>发送的关闭原因（最多 123 字节）。</translation>
    </message>
    <message>
        <source>no reason</source>
        <translation>无原因</translation>
    </message>
    <message>
        <source>Drop the connection</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <source>Drop each client&apos;s TCP connection without a Close frame, as a network failure would.</source>
        <translation>像网络故障那样断开每个客户端的 TCP 连接，不发送 Close 帧。</translation>
    </message>
    <message>
        <source>Drop the connection after</source>
        <translation>断开连接时机</translation>
    </message>
    <message>
        <source>How many messages, or milliseconds, before the connection is dropped.</source>
        <translation>断开连接前的消息条数或毫秒数。</translation>
    </message>
    <message>
        <source>Stop reading</source>
        <translation>停止读取</translation>
    </message>
    <message>
        <source>Stop reading what each client sends, so that the server&apos;s and then the client&apos;s buffers fill (a server that hangs). Its pings go unanswered too.</source>
        <translation>停止读取每个客户端发送的数据，使服务器端、然后客户端的缓冲区被填满（模拟卡住的服务器）。其 ping 也不会得到应答。</translation>
    </message>
    <message>
        <source>Stop reading after</source>
        <translation>停止读取时机</translation>
    </message>
    <message>
        <source>How many messages, or milliseconds, before the server stops reading.</source>
        <translation>服务器停止读取前的消息条数或毫秒数。</translation>
    </message>
    <message>
        <source>Refuse handshakes</source>
        <translation>拒绝握手</translation>
    </message>
    <message>
        <source>Refuse this many handshakes after the server starts, with the HTTP status; the ones after are accepted. 0: none.</source>
        <translation>服务器启动后以该 HTTP 状态码拒绝这么多次握手；之后的握手会被接受。0：不拒绝。</translation>
    </message>
    <message>
        <source>Refusal status</source>
        <translation>拒绝状态码</translation>
    </message>
    <message>
        <source>The HTTP status of a refused handshake, e.g. 503 or 429.</source>
        <translation>被拒绝握手的 HTTP 状态码，例如 503 或 429。</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>不破坏</translation>
    </message>
    <message>
        <source>invalid UTF-8</source>
        <translation>无效 UTF-8</translation>
    </message>
    <message>
        <source>reserved opcode</source>
        <translation>保留操作码</translation>
    </message>
    <message>
        <source>RSV bits</source>
        <translation>RSV 位</translation>
    </message>
    <message>
        <source>Corrupt a frame</source>
        <translation>破坏一个帧</translation>
    </message>
    <message>
        <source>Send one message to each client as a broken frame: text with invalid UTF-8, opcode 3 (reserved), or RSV1-3 set. A client should close with 1007 or 1002.</source>
        <translation>向每个客户端以损坏的帧发送一条消息：含无效 UTF-8 的文本、操作码 3（保留）或设置 RSV1-3。客户端应以 1007 或 1002 关闭。</translation>
    </message>
    <message>
        <source>Message to corrupt</source>
        <translation>要破坏的消息</translation>
    </message>
    <message>
        <source>Which message to each client is sent broken (1: the first).</source>
        <translation>发给每个客户端的第几条消息以损坏形式发送（1：第一条）。</translation>
    </message>
    <message>
        <source>message </source>
        <translation>第 </translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>The seed of the drops and the jitter, so that a run can be made again. 0: a new one each start (the history names it).</source>
        <translation>丢弃和抖动所用的种子，便于重现一次运行。0：每次启动新取一个（历史记录中会写明）。</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Faults as command-line options</source>
        <translation>以命令行选项表示的故障</translation>
    </message>
    <message>
        <source>The same faults for wstester serve, e.g. in a CI script.</source>
        <translation>供 wstester serve 使用的相同故障，例如用于 CI 脚本。</translation>
    </message>
    <message>
        <source>no faults</source>
        <translation>无故障</translation>
    </message>
    <message>
        <source>Send slowly:</source>
        <translation>慢速发送：</translation>
    </message>
    <message>
        <source>Send slowly</source>
        <translation>慢速发送</translation>
    </message>
    <message>
        <source>Send to each client at most this many bytes a second, the handshake&apos;s answer excepted (a slow network). 0: as fast as the client takes them.</source>
        <translation>向每个客户端每秒最多发送这么多字节（握手应答除外），模拟慢速网络。0：按客户端接收的速度全速发送。</translation>
    </message>
    <message>
        <source> bytes/s</source>
        <translation> 字节/秒</translation>
    </message>
    <message>
        <source>full speed</source>
        <translation>全速</translation>
    </message>
    <message>
        <source>Leave pings unanswered</source>
        <translation>不回应 ping</translation>
    </message>
    <message>
        <source>The clients&apos; pings get no pong, as from a server that hangs; everything else is answered. A client&apos;s keep-alive should notice.</source>
        <translation>客户端的 ping 得不到 pong，如同服务器挂起；其他一切照常应答。客户端的保活机制应当察觉。</translation>
    </message>
</context>
<context>
    <name>wst::FilterBar</name>
    <message>
        <source>History filter</source>
        <translation>历史记录筛选</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>筛选…</translation>
    </message>
    <message>
        <source>Filter text</source>
        <translation>筛选文本</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <source>Treat the filter text as a regular expression</source>
        <translation>将筛选文本视为正则表达式</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <source>Match upper and lower case exactly</source>
        <translation>严格匹配大小写</translation>
    </message>
    <message>
        <source>Show received messages</source>
        <translation>显示收到的消息</translation>
    </message>
    <message>
        <source>Show sent messages</source>
        <translation>显示发送的消息</translation>
    </message>
    <message>
        <source>Show events (connected, closed, errors, pings)</source>
        <translation>显示事件（连接、关闭、错误、Ping）</translation>
    </message>
    <message>
        <source>Show direction %1</source>
        <translation>显示方向：%1</translation>
    </message>
    <message>
        <source>Message kinds</source>
        <translation>消息类型</translation>
    </message>
    <message>
        <source>Choose which kinds of message to show</source>
        <translation>选择要显示的消息类型</translation>
    </message>
    <message>
        <source>Show &amp;All Kinds</source>
        <translation>显示所有类型(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Data Only (Text and Binary)</source>
        <translation>仅数据（文本和二进制）(&amp;D)</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Reset filters</source>
        <translation>重置筛选</translation>
    </message>
    <message>
        <source>Clear the filter text and show every direction and kind</source>
        <translation>清除筛选文本，并显示所有方向和类型</translation>
    </message>
    <message>
        <source>Filter error</source>
        <translation>筛选错误</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <source>%1 of %2 kinds</source>
        <translation>%1/%2 种类型</translation>
    </message>
    <message>
        <source>Messages shown</source>
        <translation>显示的消息</translation>
    </message>
    <message>
        <source>Messages that pass the filter, of all the messages in the history</source>
        <translation>通过筛选的消息数 / 历史中的消息总数</translation>
    </message>
    <message>
        <source>%1 of %2 messages (searching…)</source>
        <translation>%2 条消息中的 %1 条（搜索中…）</translation>
    </message>
    <message>
        <source>%1 of %2 messages</source>
        <translation>%2 条消息中的 %1 条</translation>
    </message>
    <message>
        <source>&amp;Hide Protocol Keep-Alives</source>
        <translation>隐藏协议保活消息(&amp;H)</translation>
    </message>
    <message>
        <source>Leave out the pings and heart-beats a protocol (Socket.IO, GraphQL, STOMP, MQTT) exchanges by itself</source>
        <translation>不显示协议（Socket.IO、GraphQL、STOMP、MQTT）自行交换的 ping 和心跳</translation>
    </message>
    <message>
        <source>Show only messages containing this text (Ctrl+F), or matching an expression on their JSON: $.type == &quot;trade&quot;, $.data.price &gt; 100, $.level != &quot;debug&quot;, $.user (exists), combined with &amp;&amp; || !</source>
        <translation>只显示包含此文本的消息（Ctrl+F），或其 JSON 符合表达式的消息：$.type == &quot;trade&quot;、$.data.price &gt; 100、$.level != &quot;debug&quot;、$.user（存在），可用 &amp;&amp; || ! 组合</translation>
    </message>
</context>
<context>
    <name>wst::FindBar</name>
    <message>
        <source>Find in message</source>
        <translation>在消息中查找</translation>
    </message>
    <message>
        <source>Find in message…</source>
        <translation>在消息中查找…</translation>
    </message>
    <message>
        <source>Text to find</source>
        <translation>要查找的文本</translation>
    </message>
    <message>
        <source>Enter: next match, Shift+Enter: previous (also F3 and Shift+F3), Esc: close. In the hex view, hex digits find those bytes.</source>
        <translation>Enter：下一个匹配项，Shift+Enter：上一个（也可用 F3 和 Shift+F3），Esc：关闭。在十六进制视图中，十六进制数字查找对应的字节。</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <source>Match upper and lower case exactly</source>
        <translation>严格区分大小写</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>上一个匹配项</translation>
    </message>
    <message>
        <source>Go to the previous match (Shift+Enter, Shift+F3)</source>
        <translation>转到上一个匹配项（Shift+Enter、Shift+F3）</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>下一个匹配项</translation>
    </message>
    <message>
        <source>Go to the next match (Enter, F3)</source>
        <translation>转到下一个匹配项（Enter、F3）</translation>
    </message>
    <message>
        <source>Close find</source>
        <translation>关闭查找</translation>
    </message>
    <message>
        <source>Close the find bar (Esc)</source>
        <translation>关闭查找栏（Esc）</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>匹配项</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>无匹配项</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 个，共 %2 个</translation>
    </message>
</context>
<context>
    <name>wst::FirstLaunchHint</name>
    <message>
        <source>Hint</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Dismiss hint</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <source>Hide this hint</source>
        <translation>隐藏此提示</translation>
    </message>
    <message>
        <source>A local echo server is running for you in the “%1” tab, and this tab is connected to it. Type a message below and press Ctrl+Enter: it comes straight back.</source>
        <translation>已在“%1”标签页中为你运行一个本地回显服务器，此标签页已连接到该服务器。在下方输入消息并按 Ctrl+Enter：消息会立即发回。</translation>
    </message>
    <message>
        <source>This is a local echo server started for you: type a message below and press Ctrl+Enter.</source>
        <translation>这是为你启动的本地回显服务器：在下方输入消息并按 Ctrl+Enter。</translation>
    </message>
</context>
<context>
    <name>wst::FrameComposer</name>
    <message>
        <source>Not sent: the connection is not open.</source>
        <translation>未发送：连接未打开。</translation>
    </message>
    <message>
        <source>Send a hand-made frame</source>
        <translation>发送手工帧</translation>
    </message>
    <message>
        <source>A hand-made frame goes straight to the server, past the WebSocket client. A frame that breaks RFC 6455 is meant to make the server close the connection (or leave it waiting), and the history may then show what the client did not send itself.

Send it?</source>
        <translation>手工帧绕过 WebSocket 客户端直接发给服务器。违反 RFC 6455 的帧本来就会让服务器关闭连接（或一直等待），之后历史记录中可能出现并非客户端自己发送的内容。

要发送吗？</translation>
    </message>
    <message>
        <source>Opcode</source>
        <translation>操作码</translation>
    </message>
    <message>
        <source>The frame&apos;s opcode, reserved ones (3-7, 11-15) included</source>
        <translation>帧的操作码，包括保留值（3-7、11-15）</translation>
    </message>
    <message>
        <source>FIN</source>
        <translation>FIN</translation>
    </message>
    <message>
        <source>The final-fragment bit (of the last fragment when the message is split)</source>
        <translation>最后分片标志位（消息被拆分时作用于最后一个分片）</translation>
    </message>
    <message>
        <source>Reserved bit %1, on the first frame: without an extension a server must close with 1002</source>
        <translation>保留位 %1，设置在第一帧上：未协商扩展时服务器必须以 1002 关闭</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Mask the payload, as a client must (a server must close on an unmasked frame)</source>
        <translation>对载荷加掩码，客户端必须如此（服务器收到未掩码的帧必须关闭）</translation>
    </message>
    <message>
        <source>Mask key</source>
        <translation>掩码密钥</translation>
    </message>
    <message>
        <source>The 4-byte mask key in hex (8 digits); empty: a random key per frame</source>
        <translation>4 字节掩码密钥，十六进制（8 位）；留空：每帧随机密钥</translation>
    </message>
    <message>
        <source>random key</source>
        <translation>随机密钥</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Hex</source>
        <translation>十六进制</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Payload form</source>
        <translation>载荷形式</translation>
    </message>
    <message>
        <source>How the payload field is read: UTF-8 text, hex bytes (ff fe 00) or a file&apos;s path</source>
        <translation>载荷字段的解读方式：UTF-8 文本、十六进制字节（ff fe 00）或文件路径</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>载荷</translation>
    </message>
    <message>
        <source>The payload (for a close frame: the reason, any bytes, invalid UTF-8 included)</source>
        <translation>载荷（对关闭帧而言是原因，可以是任意字节，包括无效 UTF-8）</translation>
    </message>
    <message>
        <source>Invalid UTF-8</source>
        <translation>无效 UTF-8</translation>
    </message>
    <message>
        <source>Append two bytes that are not UTF-8 (C0 AF): a server must close a text message with 1007</source>
        <translation>追加两个不是 UTF-8 的字节（C0 AF）：服务器必须以 1007 关闭文本消息</translation>
    </message>
    <message>
        <source>Close code</source>
        <translation>关闭代码</translation>
    </message>
    <message>
        <source>The close frame&apos;s code, any of 0-65535 (1005, 1006 and 65535 included); “no code” sends an empty close frame</source>
        <translation>关闭帧的代码，可为 0-65535 中任意值（包括 1005、1006 和 65535）；“无代码”发送空的关闭帧</translation>
    </message>
    <message>
        <source>no code</source>
        <translation>无代码</translation>
    </message>
    <message>
        <source>True length</source>
        <translation>真实长度</translation>
    </message>
    <message>
        <source>Longer by</source>
        <translation>多报</translation>
    </message>
    <message>
        <source>Shorter by</source>
        <translation>少报</translation>
    </message>
    <message>
        <source>Declared as</source>
        <translation>声明为</translation>
    </message>
    <message>
        <source>Length field</source>
        <translation>长度字段</translation>
    </message>
    <message>
        <source>Make the length field lie: longer or shorter than the payload by N bytes, or exactly N</source>
        <translation>让长度字段虚报：比载荷多或少 N 字节，或恰好为 N</translation>
    </message>
    <message>
        <source>Length lie</source>
        <translation>长度虚报</translation>
    </message>
    <message>
        <source>N bytes</source>
        <translation>N 字节</translation>
    </message>
    <message>
        <source>64-bit length</source>
        <translation>64 位长度</translation>
    </message>
    <message>
        <source>Write the length in the 64-bit form even when it is small (RFC 6455 asks for the shortest)</source>
        <translation>即使长度很小也用 64 位形式书写（RFC 6455 要求最短形式）</translation>
    </message>
    <message>
        <source>Fragments</source>
        <translation>分片</translation>
    </message>
    <message>
        <source>Split the payload into this many frames (continuation frames follow the first)</source>
        <translation>把载荷拆成这么多帧（第一帧之后是延续帧）</translation>
    </message>
    <message>
        <source>Ping between fragments</source>
        <translation>分片之间插入 ping</translation>
    </message>
    <message>
        <source>Send a ping between the fragments (allowed by RFC 6455)</source>
        <translation>在分片之间发送 ping（RFC 6455 允许）</translation>
    </message>
    <message>
        <source>Ping between</source>
        <translation>中间插入 ping</translation>
    </message>
    <message>
        <source>Byte at a time</source>
        <translation>逐字节</translation>
    </message>
    <message>
        <source>all at once</source>
        <translation>一次发送</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>Frame spec</source>
        <translation>帧规格</translation>
    </message>
    <message>
        <source>The frame as one line (the form of wstester connect --frame): written by the fields above, and can be typed; Send sends what it says</source>
        <translation>以一行表示的帧（即 wstester connect --frame 的形式）：由上面的字段生成，也可以直接输入；发送时按它的内容发送</translation>
    </message>
    <message>
        <source>Send frame</source>
        <translation>发送帧</translation>
    </message>
    <message>
        <source>Send the hand-made frame straight to the server (through the wire relay)</source>
        <translation>把手工帧直接发送给服务器（经线路中继）</translation>
    </message>
    <message>
        <source>Send &amp;frame</source>
        <translation>发送帧(&amp;F)</translation>
    </message>
    <message>
        <source>Frame:</source>
        <translation>帧：</translation>
    </message>
    <message>
        <source>Payload:</source>
        <translation>载荷：</translation>
    </message>
    <message>
        <source>Close code:</source>
        <translation>关闭代码：</translation>
    </message>
    <message>
        <source>Length:</source>
        <translation>长度：</translation>
    </message>
    <message>
        <source>Fragments:</source>
        <translation>分片：</translation>
    </message>
    <message>
        <source>Bytewise:</source>
        <translation>逐字节：</translation>
    </message>
    <message>
        <source>Frame composer</source>
        <translation>帧编辑器</translation>
    </message>
    <message>
        <source>Write the frames one byte at a time, this many ms apart; “all at once” writes them together</source>
        <translation>以逐字节方式写出帧，每字节间隔这么多毫秒；“一次发送”则一起写出</translation>
    </message>
</context>
<context>
    <name>wst::FrameLogModel</name>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Dir</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Opcode</source>
        <translation>操作码</translation>
    </message>
    <message>
        <source>FIN</source>
        <translation>FIN</translation>
    </message>
    <message>
        <source>RSV</source>
        <translation>RSV</translation>
    </message>
    <message>
        <source>Mask key</source>
        <translation>掩码键</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>First bytes (unmasked)</source>
        <translation>前几个字节（已去掩码）</translation>
    </message>
    <message>
        <source>permessage-deflate</source>
        <translation>permessage-deflate</translation>
    </message>
</context>
<context>
    <name>wst::FrameView</name>
    <message>
        <source>&amp;Record frames</source>
        <translation>记录帧(&amp;R)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <source>Record frames</source>
        <translation>记录帧</translation>
    </message>
    <message>
        <source>Decode and list every frame of this connection from now on. Off by default: a flood costs more with it on.</source>
        <translation>从现在起解码并列出此连接的每一个帧。默认关闭：开启后，大量消息涌入时开销更大。</translation>
    </message>
    <message>
        <source>Clear frames</source>
        <translation>清除帧</translation>
    </message>
    <message>
        <source>Forget the frames listed so far</source>
        <translation>丢弃目前已列出的帧</translation>
    </message>
    <message>
        <source>Every frame both ways as it crossed the wire, including the ping, pong and close frames QWebSocket answers by itself, and each fragment of a message.</source>
        <translation>双向传输的每一个帧（与线路上一致），包括 QWebSocket 自动应答的 Ping、Pong 和关闭帧，以及消息的每个分片。</translation>
    </message>
    <message>
        <source>One row per WebSocket frame: direction, opcode, FIN and RSV bits, mask key, payload length and the first payload bytes, unmasked</source>
        <translation>每个 WebSocket 帧一行：方向、操作码、FIN 和 RSV 位、掩码键、负载长度，以及去掩码后的前几个负载字节</translation>
    </message>
    <message>
        <source>Compose a frame</source>
        <translation>编写帧</translation>
    </message>
    <message>
        <source>Show the frame composer: hand-made frames sent straight to the server, for testing how it copes</source>
        <translation>显示帧编辑器：直接发给服务器的手工帧，用于测试服务器如何应对</translation>
    </message>
    <message>
        <source>Com&amp;pose</source>
        <translation>编写(&amp;P)</translation>
    </message>
    <message>
        <source>Check server</source>
        <translation>检查服务器</translation>
    </message>
    <message>
        <source>Check how the server (an echo server) keeps RFC 6455, with hand-made frames; as wstester check does</source>
        <translation>用手工帧检查服务器（回显服务器）遵守 RFC 6455 的情况，与 wstester check 相同</translation>
    </message>
    <message>
        <source>Check server…</source>
        <translation>检查服务器…</translation>
    </message>
</context>
<context>
    <name>wst::GraphqlComposer</name>
    <message>
        <source>&amp;Query:</source>
        <translation>查询(&amp;Q)：</translation>
    </message>
    <message>
        <source>&amp;Variables:</source>
        <translation>变量(&amp;V)：</translation>
    </message>
    <message>
        <source>Operation &amp;name:</source>
        <translation>操作名称(&amp;N)：</translation>
    </message>
    <message>
        <source>%1 at line %2, column %3.</source>
        <translation>第 %2 行第 %3 列：%1。</translation>
    </message>
    <message>
        <source>must be a JSON object, like {&quot;id&quot;: 1}.</source>
        <translation>必须是 JSON 对象，例如 {&quot;id&quot;: 1}。</translation>
    </message>
    <message>
        <source>Write a query first.</source>
        <translation>请先编写查询。</translation>
    </message>
    <message>
        <source>Variables: %1</source>
        <translation>变量：%1</translation>
    </message>
    <message>
        <source>Queued until the server acknowledges the connection.</source>
        <translation>已排队，等待服务器确认连接。</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>%1 complete: %2 result(s), the first after %3 ms.</source>
        <translation>%1 已完成：%2 个结果，第一个在 %3 毫秒后到达。</translation>
    </message>
    <message>
        <source>%1 complete: %2 result(s).</source>
        <translation>%1 已完成：%2 个结果。</translation>
    </message>
    <message>
        <source>Run query</source>
        <translation>执行查询</translation>
    </message>
    <message>
        <source>Run mutation</source>
        <translation>执行变更</translation>
    </message>
    <message>
        <source>Subscribe</source>
        <translation>订阅</translation>
    </message>
    <message>
        <source>Start the operation</source>
        <translation>启动操作</translation>
    </message>
    <message>
        <source>Send the operation to the server (Ctrl+Return)</source>
        <translation>将操作发送到服务器（Ctrl+Return）</translation>
    </message>
    <message>
        <source>Not ready yet: the operation is sent once the server acknowledges the connection (Ctrl+Return)</source>
        <translation>尚未就绪：服务器确认连接后才会发送该操作（Ctrl+Return）</translation>
    </message>
    <message>
        <source>GraphQL query</source>
        <translation>GraphQL 查询</translation>
    </message>
    <message>
        <source>A subscription, query or mutation; one operation runs per click</source>
        <translation>订阅、查询或变更；每次点击运行一个操作</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>The operation&apos;s variables as a JSON object; leave empty for none</source>
        <translation>操作的变量，JSON 对象；不需要时留空</translation>
    </message>
    <message>
        <source>Operation name</source>
        <translation>操作名称</translation>
    </message>
    <message>
        <source>Which operation of the document to run, when it holds several</source>
        <translation>文档包含多个操作时，要运行哪一个</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Operation status</source>
        <translation>操作状态</translation>
    </message>
</context>
<context>
    <name>wst::GraphqlSettingsEditor</name>
    <message>
        <source>Sub&amp;protocol:</source>
        <translation>子协议(&amp;P)：</translation>
    </message>
    <message>
        <source>Connection pa&amp;yload:</source>
        <translation>连接负载(&amp;Y)：</translation>
    </message>
    <message>
        <source>&amp;Ack timeout:</source>
        <translation>确认超时(&amp;A)：</translation>
    </message>
    <message>
        <source>Connection payload: %1</source>
        <translation>连接负载：%1</translation>
    </message>
    <message>
        <source>graphql-transport-ws (the graphql-ws library)</source>
        <translation>graphql-transport-ws（graphql-ws 库）</translation>
    </message>
    <message>
        <source>graphql-ws (legacy subscriptions-transport-ws)</source>
        <translation>graphql-ws（旧版 subscriptions-transport-ws）</translation>
    </message>
    <message>
        <source>GraphQL subprotocol</source>
        <translation>GraphQL 子协议</translation>
    </message>
    <message>
        <source>The messages spoken over the connection; offered as the WebSocket subprotocol unless you list one</source>
        <translation>连接上使用的消息格式；除非你已列出子协议，否则作为 WebSocket 子协议提供</translation>
    </message>
    <message>
        <source>Connection payload</source>
        <translation>连接负载</translation>
    </message>
    <message>
        <source>A JSON object sent with connection_init, e.g. an auth token; leave empty for none</source>
        <translation>随 connection_init 发送的 JSON 对象，例如认证令牌；不需要时留空</translation>
    </message>
    <message>
        <source>Acknowledgement timeout</source>
        <translation>确认超时</translation>
    </message>
    <message>
        <source>Close with 4408 when the server has not acknowledged the connection by then; 0 waits forever</source>
        <translation>到时服务器仍未确认连接则以 4408 关闭；0 表示一直等待</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>wait forever</source>
        <translation>一直等待</translation>
    </message>
</context>
<context>
    <name>wst::GraphqlWsClient</name>
    <message>
        <source>GraphQL: no connection_ack within %1 ms; closing with 4408.</source>
        <translation>GraphQL：%1 毫秒内未收到 connection_ack；以 4408 关闭。</translation>
    </message>
    <message>
        <source>GraphQL: &quot;%1&quot; is not a message of the %2 subprotocol.</source>
        <translation>GraphQL：&quot;%1&quot; 不是 %2 子协议的消息。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>completed, %1 result(s)</source>
        <translation>已完成，%1 个结果</translation>
    </message>
    <message>
        <source>stopped, %1 result(s)</source>
        <translation>已停止，%1 个结果</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>the connection closed, %1 result(s)</source>
        <translation>连接已关闭，%1 个结果</translation>
    </message>
    <message>
        <source>GraphQL subscribe: the command needs {&quot;query&quot;, &quot;variables&quot;, &quot;operationName&quot;}.</source>
        <translation>GraphQL subscribe：该命令需要 {&quot;query&quot;, &quot;variables&quot;, &quot;operationName&quot;}。</translation>
    </message>
    <message>
        <source>GraphQL subscribe: the query is empty.</source>
        <translation>GraphQL subscribe：查询为空。</translation>
    </message>
    <message>
        <source>GraphQL subscribe: the variables must be a JSON object.</source>
        <translation>GraphQL subscribe：变量必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>GraphQL subscribe: the operation name must be a string.</source>
        <translation>GraphQL subscribe：操作名称必须是字符串。</translation>
    </message>
    <message>
        <source>GraphQL stop: which operation? The id is missing.</source>
        <translation>GraphQL stop：要停止哪个操作？缺少 id。</translation>
    </message>
    <message>
        <source>GraphQL over WebSocket cannot do &quot;%1&quot; (it can: subscribe, stop).</source>
        <translation>GraphQL over WebSocket 不能执行 &quot;%1&quot;（可用：subscribe、stop）。</translation>
    </message>
    <message>
        <source>GraphQL stop: no running operation has the id &quot;%1&quot;.</source>
        <translation>GraphQL stop：没有 id 为 &quot;%1&quot; 的正在运行的操作。</translation>
    </message>
    <message>
        <source>GraphQL subscribe: the id &quot;%1&quot; is in use by a running operation.</source>
        <translation>GraphQL subscribe：id &quot;%1&quot; 已被一个正在运行的操作使用。</translation>
    </message>
</context>
<context>
    <name>wst::GraphqlWsServer</name>
    <message>
        <source>GraphQL: %1 (closing with %2).</source>
        <translation>GraphQL：%1（以 %2 关闭）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a message of the %2 subprotocol.</source>
        <translation>&quot;%1&quot; 不是 %2 子协议的消息。</translation>
    </message>
    <message>
        <source>The GraphQL mock cannot do &quot;%1&quot; (it can: next, complete).</source>
        <translation>GraphQL 模拟服务器不能执行 &quot;%1&quot;（可用：next、complete）。</translation>
    </message>
    <message>
        <source>GraphQL next: the result must be a JSON object, like {&quot;data&quot;: {&quot;count&quot;: 1}}.</source>
        <translation>GraphQL next：结果必须是 JSON 对象，例如 {&quot;data&quot;: {&quot;count&quot;: 1}}。</translation>
    </message>
    <message>
        <source>No client runs an operation with the id &quot;%1&quot;.</source>
        <translation>没有客户端正在运行 id 为 &quot;%1&quot; 的操作。</translation>
    </message>
</context>
<context>
    <name>wst::HandshakeInspector</name>
    <message>
        <source>Handshake inspector</source>
        <translation>握手查看器</translation>
    </message>
    <message>
        <source>The opening handshake exactly as it crossed the wire</source>
        <translation>与网络上传输时完全一致的开启握手</translation>
    </message>
    <message>
        <source>Handshake result</source>
        <translation>握手结果</translation>
    </message>
    <message>
        <source>What the server answered to the opening handshake</source>
        <translation>服务器对开启握手的应答</translation>
    </message>
    <message>
        <source>Copy as te&amp;xt</source>
        <translation>复制为文本(&amp;X)</translation>
    </message>
    <message>
        <source>Copy handshake as text</source>
        <translation>将握手复制为文本</translation>
    </message>
    <message>
        <source>Copy the request, the response, the TLS details and the timings as text, like curl -v</source>
        <translation>将请求、响应、TLS 详情和耗时复制为文本，类似 curl -v</translation>
    </message>
    <message>
        <source>Connection error</source>
        <translation>连接错误</translation>
    </message>
    <message>
        <source>Why the server could not be reached before any HTTP was exchanged</source>
        <translation>在交换任何 HTTP 数据之前无法连接到服务器的原因</translation>
    </message>
    <message>
        <source>Sec-WebSocket-Accept check</source>
        <translation>Sec-WebSocket-Accept 检查</translation>
    </message>
    <message>
        <source>Sec-WebSocket-Accept must be base64(SHA-1(Sec-WebSocket-Key + the RFC 6455 GUID))</source>
        <translation>Sec-WebSocket-Accept 必须等于 base64(SHA-1(Sec-WebSocket-Key + RFC 6455 GUID))</translation>
    </message>
    <message>
        <source>Negotiated subprotocol</source>
        <translation>协商的子协议</translation>
    </message>
    <message>
        <source>The subprotocol the server chose (Sec-WebSocket-Protocol) among those offered</source>
        <translation>服务器从所提供的子协议中选定的那个（Sec-WebSocket-Protocol）</translation>
    </message>
    <message>
        <source>Extensions</source>
        <translation>扩展</translation>
    </message>
    <message>
        <source>The extensions the server asked for (Sec-WebSocket-Extensions)</source>
        <translation>服务器要求的扩展（Sec-WebSocket-Extensions）</translation>
    </message>
    <message>
        <source>Handshake timings</source>
        <translation>握手耗时</translation>
    </message>
    <message>
        <source>TCP connect, TLS handshake, and the WebSocket handshake from request sent to response received</source>
        <translation>TCP 连接、TLS 握手，以及从发出请求到收到响应的 WebSocket 握手</translation>
    </message>
    <message>
        <source>Handshake request</source>
        <translation>握手请求</translation>
    </message>
    <message>
        <source>The request line and headers exactly as sent, in wire order</source>
        <translation>与发送时完全一致的请求行和请求头，按线路上的顺序</translation>
    </message>
    <message>
        <source>The request appears here when a connection starts.</source>
        <translation>连接开始后，请求会显示在这里。</translation>
    </message>
    <message>
        <source>Handshake response</source>
        <translation>握手响应</translation>
    </message>
    <message>
        <source>The status line and headers exactly as received, in wire order, and the start of a refusal&apos;s body</source>
        <translation>与接收时完全一致的状态行和响应头（按线路上的顺序），以及拒绝响应的响应体开头部分</translation>
    </message>
    <message>
        <source>The server&apos;s answer appears here.</source>
        <translation>服务器的应答会显示在这里。</translation>
    </message>
    <message>
        <source>TLS details</source>
        <translation>TLS 详情</translation>
    </message>
    <message>
        <source>TLS protocol, cipher, the server&apos;s certificate chain and the verification errors</source>
        <translation>TLS 协议、加密套件、服务器的证书链和验证错误</translation>
    </message>
    <message>
        <source>Sec-WebSocket-Accept:</source>
        <translation>Sec-WebSocket-Accept：</translation>
    </message>
    <message>
        <source>Subprotocol:</source>
        <translation>子协议：</translation>
    </message>
    <message>
        <source>Extensions:</source>
        <translation>扩展：</translation>
    </message>
    <message>
        <source>Timings:</source>
        <translation>耗时：</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>No handshake yet: connect, and the request and the server&apos;s answer appear here.</source>
        <translation>尚无握手：连接后，请求和服务器的应答会显示在这里。</translation>
    </message>
    <message>
        <source>The server could not be reached (%1).</source>
        <translation>无法连接到服务器（%1）。</translation>
    </message>
    <message>
        <source>Waiting for the server&apos;s answer from %1…</source>
        <translation>正在等待服务器 %1 的应答…</translation>
    </message>
    <message>
        <source>%1 — %2%3</source>
        <translation>%1 — %2%3</translation>
    </message>
    <message>
        <source> over TLS</source>
        <translation>（经由 TLS）</translation>
    </message>
    <message>
        <source>The server refused the upgrade: %1</source>
        <translation>服务器拒绝了升级：%1</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>连接失败：%1</translation>
    </message>
    <message>
        <source>✓ valid: matches the Sec-WebSocket-Key sent</source>
        <translation>✓ 有效：与发送的 Sec-WebSocket-Key 相符</translation>
    </message>
    <message>
        <source>✗ invalid: the key sent expects %1, the server sent %2</source>
        <translation>✗ 无效：按发送的密钥应为 %1，服务器发送的是 %2</translation>
    </message>
    <message>
        <source>✗ missing from the 101 response</source>
        <translation>✗ 101 响应中缺少此项</translation>
    </message>
    <message>
        <source>missing (no 101 response)</source>
        <translation>缺失（没有 101 响应）</translation>
    </message>
    <message>
        <source>none (offered: %1)</source>
        <translation>无（已提供：%1）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>TCP connect %1 · TLS handshake %2 · WebSocket handshake %3</source>
        <translation>TCP 连接 %1 · TLS 握手 %2 · WebSocket 握手 %3</translation>
    </message>
    <message>
        <source>The TLS handshake did not complete.</source>
        <translation>TLS 握手未完成。</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>协议：</translation>
    </message>
    <message>
        <source>Cipher:</source>
        <translation>加密套件：</translation>
    </message>
    <message>
        <source>Verification:</source>
        <translation>验证：</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Verification errors:</source>
        <translation>验证错误：</translation>
    </message>
    <message>
        <source> (certificate: %1)</source>
        <translation>（证书：%1）</translation>
    </message>
    <message>
        <source>Certificate %1 (the server&apos;s)</source>
        <translation>证书 %1（服务器的）</translation>
    </message>
    <message>
        <source>Certificate %1</source>
        <translation>证书 %1</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>应对方法</translation>
    </message>
    <message>
        <source>Re&amp;quest (sent)</source>
        <translation>请求（已发送）(&amp;Q)</translation>
    </message>
    <message>
        <source>Response (recei&amp;ved)</source>
        <translation>响应（已接收）(&amp;V)</translation>
    </message>
    <message>
        <source>The TLS handshake with %1 failed: nothing was sent.</source>
        <translation>与 %1 的 TLS 握手失败：未发送任何内容。</translation>
    </message>
    <message>
        <source>Nothing was sent: the connection failed before the request.</source>
        <translation>未发送任何内容：连接在发出请求之前就已失败。</translation>
    </message>
    <message>
        <source>No answer: the connection failed before the request.</source>
        <translation>无应答：连接在发出请求之前就已失败。</translation>
    </message>
    <message>
        <source>TLS session</source>
        <translation>TLS 会话</translation>
    </message>
    <message>
        <source>Verification errors (ignored for this connection):</source>
        <translation>验证错误（已对此连接忽略）：</translation>
    </message>
    <message>
        <source>What wstester does not do with this answer on its own, and what to do instead</source>
        <translation>对于这个应答，wstester 不会自动做什么，以及你可以怎么做</translation>
    </message>
    <message>
        <source>The server wants credentials, and wstester does not answer an authentication challenge by itself: add an Authorization header (or the token the server expects) under Request options, then connect again.</source>
        <translation>服务器要求提供凭据，而 wstester 不会自动应答认证质询：请在“请求选项”中添加 Authorization 请求头（或服务器要求的令牌），然后重新连接。</translation>
    </message>
    <message>
        <source>The server sends you elsewhere, and wstester does not follow redirects: connect to the address in its Location header instead.</source>
        <translation>服务器将你重定向到别处，而 wstester 不会跟随重定向：请改为连接其 Location 响应头中的地址。</translation>
    </message>
    <message>
        <source>Protocol handshake</source>
        <translation>协议握手</translation>
    </message>
    <message>
        <source>The handshake of the protocol spoken over the WebSocket, once the WebSocket is open</source>
        <translation>WebSocket 打开后，在其上所用协议的握手</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>压缩</translation>
    </message>
    <message>
        <source>permessage-deflate as agreed with the server (wstester compresses and inflates the messages), or why the server&apos;s answer failed the handshake</source>
        <translation>与服务器商定的 permessage-deflate（由 wstester 压缩和解压消息），或服务器的应答导致握手失败的原因</translation>
    </message>
</context>
<context>
    <name>wst::HeldMessageEditor</name>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>Message format</source>
        <translation>消息格式</translation>
    </message>
    <message>
        <source>How the text below is read: text as it is, JSON (checked), or bytes in hex or base64 (sent as a binary message)</source>
        <translation>下方文本的解读方式：原样文本、JSON（会检查），或以十六进制或 base64 表示的字节（作为二进制消息发送）</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>The message to forward instead of the one held</source>
        <translation>代替被拦住的消息转发的消息</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>转发(&amp;F)</translation>
    </message>
    <message>
        <source>Forward the edited message</source>
        <translation>转发编辑后的消息</translation>
    </message>
    <message>
        <source>Forward this message instead of the one held</source>
        <translation>转发此消息以代替被拦住的消息</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Keep the message held, unchanged</source>
        <translation>保持消息被拦住，不做修改</translation>
    </message>
</context>
<context>
    <name>wst::HelpMenu</name>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About wstester</source>
        <translation>关于 wstester</translation>
    </message>
    <message>
        <source>&lt;h3&gt;wstester %1&lt;/h3&gt;&lt;p&gt;A desktop tool for testing WebSocket servers: connect, send text, JSON, binary and files, ping, close with a code, and inspect every message.&lt;/p&gt;&lt;p&gt;Built with Qt %2, running on Qt %3.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;wstester %1&lt;/h3&gt;&lt;p&gt;用于测试 WebSocket 服务器的桌面工具：连接，发送文本、JSON、二进制数据和文件，发送 Ping，以指定关闭码关闭连接，并检查每一条消息。&lt;/p&gt;&lt;p&gt;使用 Qt %2 构建，运行于 Qt %3。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>wst::HighlightRulesDialog</name>
    <message>
        <source>Highlight Rules</source>
        <translation>高亮规则</translation>
    </message>
    <message>
        <source>Highlight rules</source>
        <translation>高亮规则</translation>
    </message>
    <message>
        <source>Rows whose message matches a rule take its colour; the first matching rule wins. Rules are filter expressions such as &lt;code&gt;$.level == &quot;error&quot;&lt;/code&gt;, &lt;code&gt;$.data.price &amp;gt; 100&lt;/code&gt; or &lt;code&gt;$.user&lt;/code&gt; (exists).</source>
        <translation>消息符合某条规则的行使用该规则的颜色；以第一条匹配的规则为准。规则是过滤表达式，例如 &lt;code&gt;$.level == &quot;error&quot;&lt;/code&gt;、&lt;code&gt;$.data.price &amp;gt; 100&lt;/code&gt; 或 &lt;code&gt;$.user&lt;/code&gt;（存在）。</translation>
    </message>
    <message>
        <source>One rule a row: the expression, the colour, and whether it is on</source>
        <translation>每行一条规则：表达式、颜色以及是否启用</translation>
    </message>
    <message>
        <source>Expression</source>
        <translation>表达式</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Add a rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the selected rule</source>
        <translation>删除所选规则</translation>
    </message>
    <message>
        <source>&amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <source>Move the selected rule up: it is tried earlier</source>
        <translation>上移所选规则：更早被尝试</translation>
    </message>
    <message>
        <source>&amp;Down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <source>Move the selected rule down: it is tried later</source>
        <translation>下移所选规则：更晚被尝试</translation>
    </message>
    <message>
        <source>Problems with the rules</source>
        <translation>规则中的问题</translation>
    </message>
    <message>
        <source>Colour the history with these rules</source>
        <translation>用这些规则给历史记录着色</translation>
    </message>
    <message>
        <source>Keep the rules as they were</source>
        <translation>保持规则不变</translation>
    </message>
    <message>
        <source>A filter expression, for example $.level == &quot;error&quot;</source>
        <translation>过滤表达式，例如 $.level == &quot;error&quot;</translation>
    </message>
    <message>
        <source>The row&apos;s background when the rule matches</source>
        <translation>规则匹配时该行的背景色</translation>
    </message>
    <message>
        <source>Whether the rule is used</source>
        <translation>是否使用该规则</translation>
    </message>
</context>
<context>
    <name>wst::HistoryPane</name>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the selected messages as text: time, direction, kind and content (Ctrl+C)</source>
        <translation>将所选消息复制为文本：时间、方向、类型和内容（Ctrl+C）</translation>
    </message>
    <message>
        <source>&amp;Resend</source>
        <translation>重新发送(&amp;R)</translation>
    </message>
    <message>
        <source>Send the selected text or binary message again</source>
        <translation>再次发送所选的文本或二进制消息</translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>跟随(&amp;F)</translation>
    </message>
    <message>
        <source>Keep the newest message in view; scrolling up pauses, scrolling to the end resumes</source>
        <translation>保持最新消息可见；向上滚动时暂停，滚动到末尾时恢复</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>清除历史记录</translation>
    </message>
    <message>
        <source>Copy selected messages</source>
        <translation>复制所选消息</translation>
    </message>
    <message>
        <source>Resend message</source>
        <translation>重新发送消息</translation>
    </message>
    <message>
        <source>Follow new messages</source>
        <translation>跟随新消息</translation>
    </message>
    <message>
        <source>Message counters</source>
        <translation>消息计数器</translation>
    </message>
    <message>
        <source>%1 in / %2 out  ·  %3 in / %4 out  ·  %5 msg/s</source>
        <translation>收 %1 / 发 %2  ·  收 %3 / 发 %4  ·  %5 条/秒</translation>
    </message>
    <message>
        <source>Clear the messages shown so far and restart the counters (Ctrl+L). The session file keeps them: saving, exporting the session or the tab, and reopening still have them; export selected rows to leave them out.</source>
        <translation>清除目前显示的消息并重新开始计数（Ctrl+L）。会话文件仍保留这些消息：保存、导出会话或标签页以及重新打开时仍包含它们；导出所选行即可将其排除。</translation>
    </message>
    <message numerus="yes">
        <source>%n cleared, kept in the session file</source>
        <translation>
            <numerusform>已清除 %n 条，仍保存在会话文件中</numerusform>
        </translation>
    </message>
    <message>
        <source>Data messages received and sent, their bytes, and the current rate, since the last Clear; with compression, the bytes of the messages against the bytes on the wire, each way</source>
        <translation>自上次清除以来收到和发送的数据消息、其字节数和当前速率；启用压缩时，还显示每个方向上消息字节数与线上字节数的对比</translation>
    </message>
    <message>
        <source>The history already has a column for %1</source>
        <translation>历史记录中已有 %1 的列</translation>
    </message>
    <message>
        <source>Not a JSON path: %1</source>
        <translation>不是 JSON 路径：%1</translation>
    </message>
    <message>
        <source>Add JSON Column</source>
        <translation>添加 JSON 列</translation>
    </message>
    <message>
        <source>A JSON path whose value each message shows in a column of its own, for example $.type or $.data.price:</source>
        <translation>一个 JSON 路径，每条消息在单独的列中显示它的值，例如 $.type 或 $.data.price：</translation>
    </message>
    <message>
        <source>&amp;Remove Column %1</source>
        <translation>删除列 %1(&amp;R)</translation>
    </message>
    <message>
        <source>Remove this JSON column from the history</source>
        <translation>从历史记录中删除此 JSON 列</translation>
    </message>
    <message>
        <source>Sort &amp;Ascending</source>
        <translation>升序排列(&amp;A)</translation>
    </message>
    <message>
        <source>Sort &amp;Descending</source>
        <translation>降序排列(&amp;D)</translation>
    </message>
    <message>
        <source>Order of &amp;Arrival</source>
        <translation>按到达顺序(&amp;A)</translation>
    </message>
    <message>
        <source>Show the messages in the order they came, newest at the bottom</source>
        <translation>按到达顺序显示消息，最新的在底部</translation>
    </message>
    <message>
        <source>The JSON columns are not a list: skipped</source>
        <translation>JSON 列不是列表：已跳过</translation>
    </message>
    <message>
        <source>JSON column %1 is not a path: skipped</source>
        <translation>JSON 列 %1 不是路径：已跳过</translation>
    </message>
    <message>
        <source>JSON column %1 (%2): %3: skipped</source>
        <translation>JSON 列 %1（%2）：%3：已跳过</translation>
    </message>
    <message>
        <source>The highlight rules are not a list: skipped</source>
        <translation>高亮规则不是列表：已跳过</translation>
    </message>
    <message>
        <source>Add &amp;JSON Column…</source>
        <translation>添加 JSON 列(&amp;J)…</translation>
    </message>
    <message>
        <source>Show a value of each JSON message in a column of its own, chosen by a path such as $.type</source>
        <translation>在单独的列中显示每条 JSON 消息的一个值，由路径选择，例如 $.type</translation>
    </message>
    <message>
        <source>&amp;Highlight Rules…</source>
        <translation>高亮规则(&amp;H)…</translation>
    </message>
    <message>
        <source>Colour the rows whose message matches an expression, such as $.level == &quot;error&quot;</source>
        <translation>给消息符合表达式的行着色，例如 $.level == &quot;error&quot;</translation>
    </message>
    <message>
        <source>Com&amp;pare</source>
        <translation>比较(&amp;P)</translation>
    </message>
    <message>
        <source>Compare the two selected messages: JSON key by key, text line by line (Ctrl+D)</source>
        <translation>比较所选的两条消息：JSON 逐键比较，文本逐行比较（Ctrl+D）</translation>
    </message>
    <message>
        <source>The sort by “%1” names no column of the history: skipped</source>
        <translation>排序依据“%1”不是历史记录中的列：已跳过</translation>
    </message>
    <message>
        <source>The sort order “%1” is neither ascending nor descending: ascending</source>
        <translation>排序方式“%1”既不是升序也不是降序：按升序</translation>
    </message>
    <message>
        <source>The sort is not an object: skipped</source>
        <translation>排序设置不是对象：已跳过</translation>
    </message>
</context>
<context>
    <name>wst::HistoryView</name>
    <message>
        <source>Message history</source>
        <translation>消息历史记录</translation>
    </message>
    <message>
        <source>Messages sent and received, newest at the bottom. Select one to see its content.</source>
        <translation>发送和收到的消息，最新的在底部。选择一条以查看其内容。</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>QoS</source>
        <translation>QoS</translation>
    </message>
    <message>
        <source>History columns</source>
        <translation>历史记录列</translation>
    </message>
    <message>
        <source>Click a column to sort by it; drag an edge to resize it, double-click it to fit the rows in view</source>
        <translation>单击某列可按其排序；拖动边缘可调整宽度，双击边缘可按可见行调整到合适宽度</translation>
    </message>
</context>
<context>
    <name>wst::InterceptPane</name>
    <message>
        <source>Connection %1</source>
        <translation>连接 %1</translation>
    </message>
    <message>
        <source>Pause → &amp;server</source>
        <translation>暂停 → 服务器(&amp;S)</translation>
    </message>
    <message>
        <source>Pause messages to the server</source>
        <translation>暂停发往服务器的消息</translation>
    </message>
    <message>
        <source>Hold every message the app sends until you forward, edit or drop it</source>
        <translation>拦住应用发送的每条消息，直到你转发、编辑或丢弃它</translation>
    </message>
    <message>
        <source>Pause → c&amp;lient</source>
        <translation>暂停 → 客户端(&amp;L)</translation>
    </message>
    <message>
        <source>Pause messages to the client</source>
        <translation>暂停发往客户端的消息</translation>
    </message>
    <message>
        <source>Hold every message the server sends until you forward, edit or drop it</source>
        <translation>拦住服务器发送的每条消息，直到你转发、编辑或丢弃它</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) held</source>
        <translation>
            <numerusform>已拦住 %n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <source>Held messages</source>
        <translation>被拦住的消息</translation>
    </message>
    <message>
        <source>&amp;Held (%1)</source>
        <translation>已拦住(&amp;H)（%1）</translation>
    </message>
    <message>
        <source>&amp;Held</source>
        <translation>已拦住(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Inject</source>
        <translation>注入(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Breakpoints</source>
        <translation>断点(&amp;B)</translation>
    </message>
    <message>
        <source>Intercept</source>
        <translation>拦截</translation>
    </message>
    <message>
        <source>Held messages, injecting a message, and breakpoints</source>
        <translation>被拦住的消息、注入消息以及断点</translation>
    </message>
    <message>
        <source>Messages held by a paused way or a breakpoint, oldest first; later messages of the same connection and way wait behind them</source>
        <translation>因方向暂停或断点而被拦住的消息，最早的在前；同一连接同一方向的后续消息排在其后等待</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>转发(&amp;F)</translation>
    </message>
    <message>
        <source>Forward the held message</source>
        <translation>转发被拦住的消息</translation>
    </message>
    <message>
        <source>Send the selected message on, unchanged</source>
        <translation>原样发送所选消息</translation>
    </message>
    <message>
        <source>&amp;Edit &amp;&amp; Forward…</source>
        <translation>编辑并转发(&amp;E)…</translation>
    </message>
    <message>
        <source>Edit and forward the held message</source>
        <translation>编辑并转发被拦住的消息</translation>
    </message>
    <message>
        <source>Change the selected message, then send what you wrote instead</source>
        <translation>修改所选消息，然后发送你写的内容</translation>
    </message>
    <message>
        <source>&amp;Drop</source>
        <translation>丢弃(&amp;D)</translation>
    </message>
    <message>
        <source>Drop the held message</source>
        <translation>丢弃被拦住的消息</translation>
    </message>
    <message>
        <source>Throw the selected message away: the other side never gets it</source>
        <translation>丢弃所选消息：另一方永远收不到</translation>
    </message>
    <message>
        <source>Forward &amp;All</source>
        <translation>全部转发(&amp;A)</translation>
    </message>
    <message>
        <source>Forward every held message</source>
        <translation>转发所有被拦住的消息</translation>
    </message>
    <message>
        <source>Send every held message on, in order; paused ways stay paused</source>
        <translation>按顺序发送所有被拦住的消息；已暂停的方向保持暂停</translation>
    </message>
    <message>
        <source>Connection to inject into</source>
        <translation>要注入的连接</translation>
    </message>
    <message>
        <source>The open connection that gets the new message</source>
        <translation>接收新消息的已打开连接</translation>
    </message>
    <message>
        <source>→ server</source>
        <translation>→ 服务器</translation>
    </message>
    <message>
        <source>→ client</source>
        <translation>→ 客户端</translation>
    </message>
    <message>
        <source>Way to inject into</source>
        <translation>注入方向</translation>
    </message>
    <message>
        <source>To the server (as if the app sent it) or to the client (as if the server sent it)</source>
        <translation>发往服务器（如同应用发送）或发往客户端（如同服务器发送）</translation>
    </message>
    <message>
        <source>Message format</source>
        <translation>消息格式</translation>
    </message>
    <message>
        <source>Text, JSON (checked), or bytes in hex or base64 (a binary message)</source>
        <translation>文本、JSON（会检查），或以十六进制或 base64 表示的字节（二进制消息）</translation>
    </message>
    <message>
        <source>The message to inject</source>
        <translation>要注入的消息</translation>
    </message>
    <message>
        <source>Message to inject</source>
        <translation>要注入的消息</translation>
    </message>
    <message>
        <source>A new message for the chosen way of the connection (Enter injects it)</source>
        <translation>发往该连接所选方向的新消息（按 Enter 注入）</translation>
    </message>
    <message>
        <source>In&amp;ject</source>
        <translation>注入(&amp;J)</translation>
    </message>
    <message>
        <source>Inject the message</source>
        <translation>注入消息</translation>
    </message>
    <message>
        <source>Send the message into the chosen way of the connection</source>
        <translation>将消息发送到该连接的所选方向</translation>
    </message>
</context>
<context>
    <name>wst::JsonTreeModel</name>
    <message>
        <source>{1 key}</source>
        <translation>{1 个键}</translation>
    </message>
    <message>
        <source>{%1 keys}</source>
        <translation>{%1 个键}</translation>
    </message>
    <message>
        <source>[1 item]</source>
        <translation>[1 项]</translation>
    </message>
    <message>
        <source>[%1 items]</source>
        <translation>[%1 项]</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
</context>
<context>
    <name>wst::JsonTreeView</name>
    <message>
        <source>Message as a tree</source>
        <translation>树形显示的消息</translation>
    </message>
    <message>
        <source>The JSON message as a tree. Ctrl+C copies the value of the selected node; the context menu copies its path.</source>
        <translation>以树形显示的 JSON 消息。Ctrl+C 复制所选节点的值；右键菜单可复制其路径。</translation>
    </message>
    <message>
        <source>Expand All</source>
        <translation>全部展开</translation>
    </message>
    <message>
        <source>Open every node (in a very large message, until %L1 rows are open)</source>
        <translation>展开所有节点（消息非常大时，展开到 %L1 行为止）</translation>
    </message>
    <message>
        <source>Collapse All</source>
        <translation>全部折叠</translation>
    </message>
    <message>
        <source>Close every node but the root</source>
        <translation>折叠除根节点外的所有节点</translation>
    </message>
    <message>
        <source>Copy Path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <source>Copy the path of the selected node, such as $.data.items[3].price</source>
        <translation>复制所选节点的路径，例如 $.data.items[3].price</translation>
    </message>
    <message>
        <source>Copy Path for a Reply Rule</source>
        <translation>复制为回复规则路径</translation>
    </message>
    <message>
        <source>Copy the path as a reply rule&apos;s JSON field takes it, such as data.items.3.price</source>
        <translation>按回复规则 JSON 字段的写法复制路径，例如 data.items.3.price</translation>
    </message>
    <message>
        <source>Copy Value</source>
        <translation>复制值</translation>
    </message>
    <message>
        <source>Copy the value of the selected node (Ctrl+C): a string without its quotes, an object or array as pretty JSON</source>
        <translation>复制所选节点的值（Ctrl+C）：字符串不带引号，对象或数组为格式化的 JSON</translation>
    </message>
    <message>
        <source>Tree actions</source>
        <translation>树操作</translation>
    </message>
    <message>
        <source>Stopped at %L1 open rows: open the remaining nodes one by one.</source>
        <translation>已展开 %L1 行后停止：其余节点请逐个展开。</translation>
    </message>
</context>
<context>
    <name>wst::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>wst::MainWindow</name>
    <message>
        <source>New connection</source>
        <translation>新建连接</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <source>Message counters</source>
        <translation>消息计数器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>New local server</source>
        <translation>新建本地服务器</translation>
    </message>
    <message>
        <source>Closing connections…</source>
        <translation>正在关闭连接…</translation>
    </message>
    <message>
        <source>%1[*] — %2 — wstester</source>
        <translation>%1[*] — %2 — wstester</translation>
    </message>
    <message>
        <source>%1[*] — wstester</source>
        <translation>%1[*] — wstester</translation>
    </message>
    <message>
        <source>Open Session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>Imported %1</source>
        <translation>已导入 %1</translation>
    </message>
    <message>
        <source>Collections</source>
        <translation>集合</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Tests</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Without a session file every message stays in memory.</source>
        <translation>没有会话文件时，所有消息都保留在内存中。</translation>
    </message>
    <message>
        <source>A decoder belongs to a client tab: open one first.</source>
        <translation>解码器属于客户端标签页：请先打开一个客户端标签页。</translation>
    </message>
</context>
<context>
    <name>wst::MemorySecretStore</name>
    <message>
        <source>No secret service</source>
        <translation>没有机密服务</translation>
    </message>
</context>
<context>
    <name>wst::MessageFilterModel</name>
    <message>
        <source>Invalid regular expression at offset %1: %2</source>
        <translation>正则表达式在偏移量 %1 处无效：%2</translation>
    </message>
    <message>
        <source>Invalid expression: %1</source>
        <translation>无效的表达式：%1</translation>
    </message>
</context>
<context>
    <name>wst::MessageLogModel</name>
    <message>
        <source>in</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>out</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>二进制</translation>
    </message>
    <message>
        <source>ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>pong</source>
        <translation>Pong</translation>
    </message>
    <message>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Connected, subprotocol “%1”</source>
        <translation>已连接，子协议“%1”</translation>
    </message>
    <message>
        <source>Close %1 (%2)</source>
        <translation>关闭 %1（%2）</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Ping: %1</source>
        <translation>Ping：%1</translation>
    </message>
    <message>
        <source>Pong, round trip %1 ms</source>
        <translation>Pong，往返 %1 ms</translation>
    </message>
    <message>
        <source>Pong (unsolicited)</source>
        <translation>Pong（未经请求）</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Dir</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Client %1 connected from %2</source>
        <translation>客户端 %1 已从 %2 连接</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Event / topic</source>
        <translation>事件 / 主题</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>QoS</source>
        <translation>QoS</translation>
    </message>
    <message>
        <source>A JSON column&apos;s path starts with &quot;$&quot;, as in $.type or $.data.price</source>
        <translation>JSON 列的路径以“$”开头，例如 $.type 或 $.data.price</translation>
    </message>
    <message>
        <source>JSON column %1: right-click the header to remove it</source>
        <translation>JSON 列 %1：右键单击表头可删除</translation>
    </message>
</context>
<context>
    <name>wst::MessageWindow</name>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>Message %1 %2 %3</source>
        <translation>消息 %1 %2 %3</translation>
    </message>
</context>
<context>
    <name>wst::MqttClient</name>
    <message>
        <source>MQTT: the broker sent a text message; MQTT over WebSocket uses binary messages.</source>
        <translation>MQTT：代理发送了文本消息；基于 WebSocket 的 MQTT 使用二进制消息。</translation>
    </message>
    <message>
        <source>MQTT: malformed packet from the broker: %1</source>
        <translation>MQTT：代理发来的报文格式错误：%1</translation>
    </message>
    <message>
        <source>the connection closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <source>MQTT: %1.</source>
        <translation>MQTT：%1。</translation>
    </message>
    <message>
        <source>MQTT: QoS must be 0, 1 or 2, not %1.</source>
        <translation>MQTT：QoS 必须为 0、1 或 2，而不是 %1。</translation>
    </message>
    <message>
        <source>MQTT: user properties need MQTT 5 (this connection speaks MQTT 3.1.1).</source>
        <translation>MQTT：用户属性需要 MQTT 5（此连接使用 MQTT 3.1.1）。</translation>
    </message>
    <message>
        <source>MQTT: unknown command &quot;%1&quot; (subscribe, unsubscribe, publish or disconnect).</source>
        <translation>MQTT：未知命令“%1”（可用：subscribe、unsubscribe、publish 或 disconnect）。</translation>
    </message>
    <message>
        <source>QoS 0: not acknowledged</source>
        <translation>QoS 0：无确认</translation>
    </message>
    <message>
        <source>MQTT: all 65535 packet identifiers are waiting for an answer.</source>
        <translation>MQTT：全部 65535 个报文标识符都在等待应答。</translation>
    </message>
    <message>
        <source>MQTT: the broker sent %1 before CONNACK.</source>
        <translation>MQTT：代理在 CONNACK 之前发送了 %1。</translation>
    </message>
    <message>
        <source>MQTT: the broker disconnects: %1</source>
        <translation>MQTT：代理断开连接：%1</translation>
    </message>
    <message>
        <source>MQTT: a broker does not send %1.</source>
        <translation>MQTT：代理不应发送 %1。</translation>
    </message>
    <message>
        <source>MQTT: a second CONNACK.</source>
        <translation>MQTT：收到第二个 CONNACK。</translation>
    </message>
    <message>
        <source>MQTT: the broker refused the connection: %1</source>
        <translation>MQTT：代理拒绝了连接：%1</translation>
    </message>
    <message>
        <source>MQTT: no PINGRESP within the keep-alive interval (%1 s).</source>
        <translation>MQTT：在保活间隔（%1 秒）内未收到 PINGRESP。</translation>
    </message>
    <message>
        <source>MQTT: %1 for packet identifier %2, which is not waiting for one.</source>
        <translation>MQTT：收到报文标识符 %2 的 %1，但它并未在等待应答。</translation>
    </message>
    <message>
        <source>unsubscribed</source>
        <translation>已取消订阅</translation>
    </message>
</context>
<context>
    <name>wst::MqttComposer</name>
    <message>
        <source>MQTT composer</source>
        <translation>MQTT 编辑器</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Subscribe</source>
        <translation>订阅</translation>
    </message>
    <message>
        <source>Unsubscribe</source>
        <translation>取消订阅</translation>
    </message>
    <message>
        <source>MQTT action</source>
        <translation>MQTT 操作</translation>
    </message>
    <message>
        <source>Publish a message, or subscribe to / unsubscribe from a topic filter</source>
        <translation>发布消息，或订阅/取消订阅主题过滤器</translation>
    </message>
    <message>
        <source>0 - at most once</source>
        <translation>0 - 最多一次</translation>
    </message>
    <message>
        <source>1 - at least once</source>
        <translation>1 - 至少一次</translation>
    </message>
    <message>
        <source>2 - exactly once</source>
        <translation>2 - 恰好一次</translation>
    </message>
    <message>
        <source>QoS</source>
        <translation>QoS</translation>
    </message>
    <message>
        <source>Quality of service: the acknowledgements (PUBACK, or PUBREC/PUBREL/PUBCOMP) are exchanged by wstester and shown in the history</source>
        <translation>服务质量：确认报文（PUBACK 或 PUBREC/PUBREL/PUBCOMP）由 wstester 自动交换并显示在历史记录中</translation>
    </message>
    <message>
        <source>Retain</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>The broker keeps the message and gives it to later subscribers; an empty retained message clears the topic</source>
        <translation>代理会保存该消息并发给之后的订阅者；空的保留消息会清除该主题</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>负载</translation>
    </message>
    <message>
        <source>Message payload (JSON or text)</source>
        <translation>消息负载（JSON 或文本）</translation>
    </message>
    <message>
        <source>User properties</source>
        <translation>用户属性</translation>
    </message>
    <message>
        <source>name: value (one per line)</source>
        <translation>名称: 值（每行一个）</translation>
    </message>
    <message>
        <source>MQTT 5 user properties sent with the PUBLISH</source>
        <translation>随 PUBLISH 发送的 MQTT 5 用户属性</translation>
    </message>
    <message>
        <source>Last MQTT reply</source>
        <translation>最近的 MQTT 回复</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <source>QoS:</source>
        <translation>QoS：</translation>
    </message>
    <message>
        <source>Payload:</source>
        <translation>负载：</translation>
    </message>
    <message>
        <source>User properties:</source>
        <translation>用户属性：</translation>
    </message>
    <message>
        <source>Topic:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>Topic filter:</source>
        <translation>主题过滤器：</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Topic filter</source>
        <translation>主题过滤器</translation>
    </message>
    <message>
        <source>sensors/kitchen/temperature</source>
        <translation>sensors/kitchen/temperature</translation>
    </message>
    <message>
        <source>sensors/+/temperature or sensors/#</source>
        <translation>sensors/+/temperature 或 sensors/#</translation>
    </message>
    <message>
        <source>Not connected yet: the command is sent once the broker&apos;s CONNACK arrives</source>
        <translation>尚未连接：收到代理的 CONNACK 后才会发送该命令</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 %2 (%3) in %4</source>
        <translation>%1 %2（%3），用时 %4</translation>
    </message>
    <message>
        <source>Not sent: %1.</source>
        <translation>未发送：%1。</translation>
    </message>
    <message>
        <source>Not sent: user property line %1 is not &quot;name: value&quot;.</source>
        <translation>未发送：用户属性第 %1 行不是“名称: 值”格式。</translation>
    </message>
</context>
<context>
    <name>wst::MqttServer</name>
    <message>
        <source>MQTT: no CONNECT within %1 s of opening; disconnecting.</source>
        <translation>MQTT：连接打开后 %1 秒内未收到 CONNECT，正在断开。</translation>
    </message>
    <message>
        <source>MQTT: client &quot;%1&quot; sent nothing for 1.5 x its keep-alive; disconnecting it.</source>
        <translation>MQTT：客户端“%1”在 1.5 倍保活间隔内没有发送任何内容，正在断开。</translation>
    </message>
    <message>
        <source>MQTT: %1</source>
        <translation>MQTT：%1</translation>
    </message>
    <message>
        <source>a text message; MQTT over WebSocket uses binary messages</source>
        <translation>收到文本消息；基于 WebSocket 的 MQTT 使用二进制消息</translation>
    </message>
    <message>
        <source>malformed packet: %1</source>
        <translation>报文格式错误：%1</translation>
    </message>
    <message>
        <source>%1 before CONNECT</source>
        <translation>在 CONNECT 之前收到 %1</translation>
    </message>
    <message>
        <source>a client does not send %1</source>
        <translation>客户端不应发送 %1</translation>
    </message>
    <message>
        <source>a second CONNECT</source>
        <translation>收到第二个 CONNECT</translation>
    </message>
    <message>
        <source>PUBLISH without a topic name</source>
        <translation>PUBLISH 缺少主题名</translation>
    </message>
    <message>
        <source>MQTT: no free packet identifier for &quot;%1&quot;; the message was not delivered.</source>
        <translation>MQTT：“%1”没有可用的报文标识符；消息未投递。</translation>
    </message>
    <message>
        <source>MQTT: the broker can only publish (not &quot;%1&quot;).</source>
        <translation>MQTT：代理只能发布消息（不支持“%1”）。</translation>
    </message>
    <message>
        <source>MQTT: %1.</source>
        <translation>MQTT：%1。</translation>
    </message>
    <message>
        <source>MQTT: QoS must be 0, 1 or 2, not %1.</source>
        <translation>MQTT：QoS 必须为 0、1 或 2，而不是 %1。</translation>
    </message>
    <message>
        <source>MQTT: client %1 has not connected with CONNECT.</source>
        <translation>MQTT：客户端 %1 尚未通过 CONNECT 连接。</translation>
    </message>
</context>
<context>
    <name>wst::MqttSettingsEditor</name>
    <message>
        <source>MQTT settings</source>
        <translation>MQTT 设置</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <source>Client id:</source>
        <translation>客户端 ID：</translation>
    </message>
    <message>
        <source>Keep-alive:</source>
        <translation>保活间隔：</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Will topic:</source>
        <translation>遗嘱主题：</translation>
    </message>
    <message>
        <source>Will payload:</source>
        <translation>遗嘱负载：</translation>
    </message>
    <message>
        <source>Will QoS:</source>
        <translation>遗嘱 QoS：</translation>
    </message>
    <message>
        <source>MQTT version</source>
        <translation>MQTT 版本</translation>
    </message>
    <message>
        <source>The protocol level sent in CONNECT: 4 (MQTT 3.1.1) or 5 (MQTT 5.0)</source>
        <translation>CONNECT 中发送的协议级别：4（MQTT 3.1.1）或 5（MQTT 5.0）</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>客户端 ID</translation>
    </message>
    <message>
        <source>generated (wstester-xxxxxx)</source>
        <translation>自动生成（wstester-xxxxxx）</translation>
    </message>
    <message>
        <source>The CONNECT client identifier; empty: a new one is generated for every connection</source>
        <translation>CONNECT 中的客户端标识符；留空则每次连接生成一个新的</translation>
    </message>
    <message>
        <source>Clean start</source>
        <translation>全新会话</translation>
    </message>
    <message>
        <source>Start a new session (Clean Session in MQTT 3.1.1)</source>
        <translation>开始新会话（MQTT 3.1.1 中的 Clean Session）</translation>
    </message>
    <message>
        <source>Keep-alive</source>
        <translation>保活间隔</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Seconds between PINGREQs, which wstester sends by itself (an MQTT 5 broker&apos;s Server Keep Alive wins)</source>
        <translation>PINGREQ 的间隔秒数，由 wstester 自动发送（以 MQTT 5 代理的 Server Keep Alive 为准）</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Will topic</source>
        <translation>遗嘱主题</translation>
    </message>
    <message>
        <source>The broker publishes the will message here if the connection drops without DISCONNECT; empty: no will</source>
        <translation>如果连接未经 DISCONNECT 就断开，代理会向此主题发布遗嘱消息；留空则没有遗嘱</translation>
    </message>
    <message>
        <source>Will payload</source>
        <translation>遗嘱负载</translation>
    </message>
    <message>
        <source>Will QoS</source>
        <translation>遗嘱 QoS</translation>
    </message>
    <message>
        <source>Retain the will</source>
        <translation>保留遗嘱消息</translation>
    </message>
</context>
<context>
    <name>wst::PeriodicSendBar</name>
    <message>
        <source>Star&amp;t</source>
        <translation>开始(&amp;T)</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>停止(&amp;O)</translation>
    </message>
    <message>
        <source>Periodic send</source>
        <translation>定时发送</translation>
    </message>
    <message>
        <source>Repeat interval</source>
        <translation>重复间隔</translation>
    </message>
    <message>
        <source>How often the message is sent, in milliseconds</source>
        <translation>消息的发送频率，以毫秒为单位</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>Repeat count</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <source>How many messages to send; “until stopped” (0) sends until you press Stop</source>
        <translation>要发送的消息条数；“直到停止”（0）会一直发送，直到你按下“停止”</translation>
    </message>
    <message>
        <source>until stopped</source>
        <translation>直到停止</translation>
    </message>
    <message>
        <source> times</source>
        <translation> 次</translation>
    </message>
    <message>
        <source>Start periodic send</source>
        <translation>开始定时发送</translation>
    </message>
    <message>
        <source>Send the composer&apos;s message now and then every interval; {{counter}} counts 1, 2, 3…</source>
        <translation>立即发送消息编辑区中的消息，之后每隔一个间隔发送一次；{{counter}} 依次计为 1、2、3…</translation>
    </message>
    <message>
        <source>Periodic send progress</source>
        <translation>定时发送进度</translation>
    </message>
    <message>
        <source>How many messages the periodic send has sent</source>
        <translation>定时发送已发送的消息条数</translation>
    </message>
    <message>
        <source>Stop periodic send</source>
        <translation>停止定时发送</translation>
    </message>
    <message>
        <source>Stop sending; what was sent stays in the history</source>
        <translation>停止发送；已发送的内容保留在历史记录中</translation>
    </message>
    <message>
        <source>Periodic send result</source>
        <translation>定时发送结果</translation>
    </message>
    <message>
        <source>Why the last periodic send ended, or why it could not start</source>
        <translation>上一次定时发送结束的原因，或无法开始的原因</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>隐藏此消息</translation>
    </message>
    <message>
        <source>Repeat e&amp;very</source>
        <translation>重复间隔(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;count</source>
        <translation>次数(&amp;C)</translation>
    </message>
    <message>
        <source>Not started: %1</source>
        <translation>未开始：%1</translation>
    </message>
</context>
<context>
    <name>wst::PeriodicSender</name>
    <message>
        <source>Periodic send stopped: the connection closed after %1 sent.</source>
        <translation>定时发送已停止：已发送 %1 条后连接关闭。</translation>
    </message>
    <message>
        <source>Periodic send stopped: the connection closed after %1 of %2 sent.</source>
        <translation>定时发送已停止：已发送 %1/%2 条后连接关闭。</translation>
    </message>
    <message>
        <source>The interval must be at least 1 ms.</source>
        <translation>间隔至少为 1 毫秒。</translation>
    </message>
    <message>
        <source>The count cannot be negative (0 sends until stopped).</source>
        <translation>次数不能为负数（0 表示一直发送直到停止）。</translation>
    </message>
    <message>
        <source>Connect first: a periodic send needs an open connection.</source>
        <translation>请先连接：定时发送需要已打开的连接。</translation>
    </message>
    <message>
        <source>Periodic send finished: %1 sent.</source>
        <translation>定时发送已完成：已发送 %1 条。</translation>
    </message>
    <message>
        <source>Periodic send stopped after %1 sent.</source>
        <translation>定时发送已停止，已发送 %1 条。</translation>
    </message>
    <message>
        <source>Periodic send stopped after %1 of %2 sent.</source>
        <translation>定时发送已停止，已发送 %1/%2 条。</translation>
    </message>
    <message>
        <source>Periodic send stopped after %1 sent: %2</source>
        <translation>定时发送已停止，已发送 %1 条：%2</translation>
    </message>
    <message>
        <source>Sending every %1 ms · %2 sent</source>
        <translation>每 %1 毫秒发送一次 · 已发送 %2 条</translation>
    </message>
    <message>
        <source>Sending every %1 ms · %2 of %3 sent</source>
        <translation>每 %1 毫秒发送一次 · 已发送 %2/%3 条</translation>
    </message>
</context>
<context>
    <name>wst::PingCloseBar</name>
    <message>
        <source>Ping payload</source>
        <translation>Ping 负载</translation>
    </message>
    <message>
        <source>Optional payload of the ping, at most 125 bytes in UTF-8</source>
        <translation>可选的 Ping 负载，按 UTF-8 编码最多 125 字节</translation>
    </message>
    <message>
        <source>payload (optional)</source>
        <translation>负载（可选）</translation>
    </message>
    <message>
        <source>&amp;Ping</source>
        <translation>&amp;Ping</translation>
    </message>
    <message>
        <source>Send a ping and measure the round trip</source>
        <translation>发送 Ping 并测量往返时间</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Round trip time</source>
        <translation>往返时间</translation>
    </message>
    <message>
        <source>The round trip of the last ping</source>
        <translation>上一次 Ping 的往返时间</translation>
    </message>
    <message>
        <source>RTT 000.00 ms</source>
        <translation>RTT 000.00 ms</translation>
    </message>
    <message>
        <source>Close code</source>
        <translation>关闭码</translation>
    </message>
    <message>
        <source>Close reason</source>
        <translation>关闭原因</translation>
    </message>
    <message>
        <source>Optional reason of the Close frame, at most 123 bytes in UTF-8</source>
        <translation>可选的关闭帧原因，按 UTF-8 编码最多 123 字节</translation>
    </message>
    <message>
        <source>reason (optional)</source>
        <translation>原因（可选）</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <source>Send a Close frame with this code and reason</source>
        <translation>用此关闭码和原因发送关闭帧</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Pin&amp;g:</source>
        <translation>Ping(&amp;G)：</translation>
    </message>
    <message>
        <source>Close c&amp;ode:</source>
        <translation>关闭码(&amp;O)：</translation>
    </message>
    <message>
        <source>P&amp;ing</source>
        <translation>P&amp;ing</translation>
    </message>
    <message>
        <source>Ping the selected client (with All: every client) and measure the round trip</source>
        <translation>Ping 所选客户端（选中“全部”时为所有客户端）并测量往返时间</translation>
    </message>
    <message>
        <source>The round trip of the last pong</source>
        <translation>上一次 Pong 的往返时间</translation>
    </message>
    <message>
        <source>Kick close code</source>
        <translation>踢出关闭码</translation>
    </message>
    <message>
        <source>Kick reason</source>
        <translation>踢出原因</translation>
    </message>
    <message>
        <source>Optional reason sent with the close code, at most 123 bytes in UTF-8</source>
        <translation>随关闭码发送的可选原因，按 UTF-8 编码最多 123 字节</translation>
    </message>
    <message>
        <source>&amp;Kick</source>
        <translation>踢出(&amp;K)</translation>
    </message>
    <message>
        <source>Close the selected client&apos;s connection with this code and reason</source>
        <translation>用此关闭码和原因关闭所选客户端的连接</translation>
    </message>
    <message>
        <source>Kick client</source>
        <translation>踢出客户端</translation>
    </message>
    <message>
        <source>Close code:</source>
        <translation>关闭码：</translation>
    </message>
    <message>
        <source>The ping payload is %1 bytes in UTF-8; at most %2 are allowed.</source>
        <translation>Ping 负载按 UTF-8 编码为 %1 字节；最多允许 %2 字节。</translation>
    </message>
    <message>
        <source>The status code of the Close frame: 1000-1003, 1007-1014 or 3000-4999</source>
        <translation>Close 帧的状态码：1000-1003、1007-1014 或 3000-4999</translation>
    </message>
    <message>
        <source>The close code sent to the kicked client: 1000-1003, 1007-1014 or 3000-4999</source>
        <translation>发送给被踢出客户端的关闭码：1000-1003、1007-1014 或 3000-4999</translation>
    </message>
    <message>
        <source>Send anyway (not allowed on the wire, for testing servers)</source>
        <translation>仍然发送（协议不允许出现在线路上，仅用于测试服务器）</translation>
    </message>
    <message>
        <source>Send this close code anyway</source>
        <translation>仍然发送此关闭码</translation>
    </message>
    <message>
        <source>Codes 1005, 1006 and 1015 only report what happened and must never be sent in a Close frame. Tick to send it all the same, to see how the server copes.</source>
        <translation>1005、1006 和 1015 只用于报告发生了什么，绝不能出现在关闭帧中。勾选后仍会发送，以观察服务器如何应对。</translation>
    </message>
</context>
<context>
    <name>wst::ProtocolOptionsWidget</name>
    <message>
        <source>P&amp;rotocol:</source>
        <translation>协议(&amp;R)：</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>What is spoken over the WebSocket: raw messages, or Socket.IO, GraphQL, STOMP or MQTT, whose messages are then decoded and whose keep-alives are answered by themselves</source>
        <translation>WebSocket 上使用的协议：原始消息，或 Socket.IO、GraphQL、STOMP、MQTT——这些协议的消息会被解码，其保活消息会自动应答</translation>
    </message>
    <message>
        <source>Messages are sent and shown as they are.</source>
        <translation>消息按原样发送和显示。</translation>
    </message>
    <message>
        <source>Applies from the next connect. The raw frames stay visible in the history and the Frames view.</source>
        <translation>从下次连接起生效。原始帧仍显示在历史记录和“帧”视图中。</translation>
    </message>
    <message>
        <source>Protocol note</source>
        <translation>协议说明</translation>
    </message>
</context>
<context>
    <name>wst::ProtocolPanel</name>
    <message>
        <source>not connected: sends wait for the connection and the protocol&apos;s handshake</source>
        <translation>未连接：发送将等待连接和协议握手</translation>
    </message>
    <message>
        <source>handshake in progress: sends are queued</source>
        <translation>正在握手：发送已排队</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>active since %1</source>
        <translation>自 %1 起活动</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>ended: %1</source>
        <translation>已结束：%1</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop %1</source>
        <translation>停止 %1</translation>
    </message>
    <message>
        <source>End this subscription (complete, or unsubscribe)</source>
        <translation>结束此订阅（complete 或取消订阅）</translation>
    </message>
    <message>
        <source>Protocol state</source>
        <translation>协议状态</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>订阅</translation>
    </message>
    <message>
        <source>Subscriptions and other operations of the protocol, with a Stop button each</source>
        <translation>协议的订阅和其他操作，每项都有“停止”按钮</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation>订阅</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>wst::ProtocolServer</name>
    <message>
        <source>This server cannot do &quot;%1&quot;.</source>
        <translation>此服务器不能执行“%1”。</translation>
    </message>
</context>
<context>
    <name>wst::ProxyConnectionModel</name>
    <message>
        <source>open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>All connections</source>
        <translation>所有连接</translation>
    </message>
    <message>
        <source>Every connection&apos;s messages together</source>
        <translation>所有连接的消息合在一起</translation>
    </message>
    <message>
        <source>Closed %1: %2</source>
        <translation>已关闭 %1：%2</translation>
    </message>
    <message>
        <source>The connection&apos;s number; the history&apos;s rows carry it</source>
        <translation>连接编号；历史记录中的行带有此编号</translation>
    </message>
    <message>
        <source>The app&apos;s address and port, as the proxy saw it</source>
        <translation>代理看到的应用地址和端口</translation>
    </message>
    <message>
        <source>The server the proxy forwarded the connection to</source>
        <translation>代理将连接转发到的服务器</translation>
    </message>
    <message>
        <source>Open, closed, or failed (the server could not be reached)</source>
        <translation>打开、已关闭或失败（无法连接服务器）</translation>
    </message>
    <message>
        <source>Messages the app sent to the server</source>
        <translation>应用发送给服务器的消息</translation>
    </message>
    <message>
        <source>Messages the server sent to the app</source>
        <translation>服务器发送给应用的消息</translation>
    </message>
    <message>
        <source>The close code, once the connection closed</source>
        <translation>连接关闭后的关闭码</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>→ server</source>
        <translation>→ 服务器</translation>
    </message>
    <message>
        <source>→ client</source>
        <translation>→ 客户端</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>wst::ProxyControlBar</name>
    <message>
        <source>“%1” is not an IP address to listen on.</source>
        <translation>“%1”不是可监听的 IP 地址。</translation>
    </message>
    <message>
        <source>Give the server&apos;s URL (ws:// or wss://) that clients are forwarded to.</source>
        <translation>请填写客户端被转发到的服务器 URL（ws:// 或 wss://）。</translation>
    </message>
    <message>
        <source>“%1” is not a ws:// or wss:// URL.</source>
        <translation>“%1”不是 ws:// 或 wss:// URL。</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Reverse proxy</source>
        <translation>反向代理</translation>
    </message>
    <message>
        <source>HTTP proxy (explicit)</source>
        <translation>HTTP 代理（显式）</translation>
    </message>
    <message>
        <source>Proxy mode</source>
        <translation>代理模式</translation>
    </message>
    <message>
        <source>Reverse: every client that connects here is forwarded to the server&apos;s URL. HTTP proxy: point a browser or app at it (CONNECT, or --proxy-server) and it forwards to wherever the app connects</source>
        <translation>反向：连接到此处的每个客户端都被转发到服务器 URL。HTTP 代理：让浏览器或应用使用它（CONNECT 或 --proxy-server），它会转发到应用要连接的任何地方</translation>
    </message>
    <message>
        <source>Listening address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>The address the proxy listens on: 127.0.0.1 only for this machine, 0.0.0.0 for every interface</source>
        <translation>代理监听的地址：127.0.0.1 仅限本机，0.0.0.0 为所有网络接口</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <source>Listening port</source>
        <translation>监听端口</translation>
    </message>
    <message>
        <source>The port the proxy listens on (0: any free port)</source>
        <translation>代理监听的端口（0：任意空闲端口）</translation>
    </message>
    <message>
        <source>→ &amp;Server:</source>
        <translation>→ 服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>ws://127.0.0.1:9000/ or wss://api.example.com/feed</source>
        <translation>ws://127.0.0.1:9000/ 或 wss://api.example.com/feed</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <source>The real server each client is forwarded to; the client&apos;s path and query are appended</source>
        <translation>每个客户端被转发到的真实服务器；会附加客户端的路径和查询</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>启动(&amp;S)</translation>
    </message>
    <message>
        <source>Start the proxy</source>
        <translation>启动代理</translation>
    </message>
    <message>
        <source>Start listening and forwarding</source>
        <translation>开始监听并转发</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Stop the proxy</source>
        <translation>停止代理</translation>
    </message>
    <message>
        <source>Close every proxied connection (1001 to both sides) and stop listening</source>
        <translation>关闭每个经代理的连接（向双方发送 1001）并停止监听</translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation>设置(&amp;T)</translation>
    </message>
    <message>
        <source>Proxy settings</source>
        <translation>代理设置</translation>
    </message>
    <message>
        <source>Show or hide the certificate, header rewrites, TLS and fault settings</source>
        <translation>显示或隐藏证书、请求头改写、TLS 和故障设置</translation>
    </message>
    <message>
        <source>Copy what to point the app at</source>
        <translation>复制要给应用使用的地址</translation>
    </message>
    <message>
        <source>Copy the URL (or the --proxy-server argument) to give the app</source>
        <translation>复制要给应用的 URL（或 --proxy-server 参数）</translation>
    </message>
    <message>
        <source>Open &amp;client tab</source>
        <translation>打开客户端标签页(&amp;C)</translation>
    </message>
    <message>
        <source>Open a client tab through the proxy</source>
        <translation>打开经过代理的客户端标签页</translation>
    </message>
    <message>
        <source>Open a client tab connected to the proxy&apos;s URL</source>
        <translation>打开连接到代理 URL 的客户端标签页</translation>
    </message>
    <message>
        <source>Proxy state</source>
        <translation>代理状态</translation>
    </message>
    <message>
        <source>What to point the app at</source>
        <translation>应用要使用的地址</translation>
    </message>
    <message>
        <source>Give this to the app: the URL to connect to, or the proxy to use</source>
        <translation>把它交给应用：要连接的 URL，或要使用的代理</translation>
    </message>
</context>
<context>
    <name>wst::ProxyHeldModel</name>
    <message>
        <source>→ server</source>
        <translation>→ 服务器</translation>
    </message>
    <message>
        <source>→ client</source>
        <translation>→ 客户端</translation>
    </message>
    <message>
        <source>Held by breakpoint %1</source>
        <translation>被断点 %1 拦住</translation>
    </message>
    <message>
        <source>Held because this way is paused</source>
        <translation>因此方向已暂停而被拦住</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>二进制</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Conn.</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Way</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>wst::ProxySettingsWidget</name>
    <message>
        <source>Set</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>What to do with the header</source>
        <translation>如何处理该请求头</translation>
    </message>
    <message>
        <source>Set: replace the header&apos;s value (or add it); Remove: take it out of the request</source>
        <translation>设置：替换该请求头的值（或添加）；移除：从请求中去掉</translation>
    </message>
    <message>
        <source>Give both the certificate and its key, or neither (then the proxy speaks ws://).</source>
        <translation>请同时提供证书和其密钥，或都不提供（此时代理使用 ws://）。</translation>
    </message>
    <message>
        <source>%1 cannot be read.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <source>Header rewrite %1: “%2” is not a header name.</source>
        <translation>请求头改写 %1：“%2”不是请求头名称。</translation>
    </message>
    <message>
        <source>Header rewrite %1: a value cannot hold a line break.</source>
        <translation>请求头改写 %1：值中不能包含换行。</translation>
    </message>
    <message>
        <source>Private Key (PEM)</source>
        <translation>私钥（PEM）</translation>
    </message>
    <message>
        <source>Certificate (PEM)</source>
        <translation>证书（PEM）</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;Certificate:</source>
        <translation>证书(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>none: the proxy listens as ws://</source>
        <translation>无：代理以 ws:// 监听</translation>
    </message>
    <message>
        <source>Certificate file</source>
        <translation>证书文件</translation>
    </message>
    <message>
        <source>A PEM certificate: with its key the proxy listens as wss:// (reverse), or signs a certificate for each host of a CONNECT tunnel (explicit: then this is the certificate authority)</source>
        <translation>PEM 证书：配合其密钥，代理以 wss:// 监听（反向），或为 CONNECT 隧道的每个主机签发证书（显式：此时它是证书颁发机构）</translation>
    </message>
    <message>
        <source>the certificate&apos;s private key (PEM)</source>
        <translation>证书的私钥（PEM）</translation>
    </message>
    <message>
        <source>Private key file</source>
        <translation>私钥文件</translation>
    </message>
    <message>
        <source>The unencrypted PEM private key of the certificate</source>
        <translation>证书的未加密 PEM 私钥</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the certificate file</source>
        <translation>选择证书文件</translation>
    </message>
    <message>
        <source>Choose the key file</source>
        <translation>选择密钥文件</translation>
    </message>
    <message>
        <source>&amp;Make Certificate…</source>
        <translation>生成证书(&amp;M)…</translation>
    </message>
    <message>
        <source>Make certificate</source>
        <translation>生成证书</translation>
    </message>
    <message>
        <source>Make a local certificate authority and a certificate signed by it, fill both fields, and show how to make apps trust it</source>
        <translation>创建本地证书颁发机构及由其签发的证书，填入两个字段，并说明如何让应用信任它</translation>
    </message>
    <message>
        <source>&amp;Ignore the server&apos;s TLS errors</source>
        <translation>忽略服务器的 TLS 错误(&amp;I)</translation>
    </message>
    <message>
        <source>Ignore the server&apos;s TLS errors</source>
        <translation>忽略服务器的 TLS 错误</translation>
    </message>
    <message>
        <source>Connect to a wss:// server even when its certificate is not trusted (self-signed, expired, another name)</source>
        <translation>即使 wss:// 服务器的证书不受信任（自签名、已过期、名称不符）也进行连接</translation>
    </message>
    <message>
        <source>Pass &amp;compression on</source>
        <translation>传递压缩(&amp;C)</translation>
    </message>
    <message>
        <source>Pass compression on</source>
        <translation>传递压缩</translation>
    </message>
    <message>
        <source>Pass the app&apos;s permessage-deflate offer to the server; off: strip it, so both sides talk uncompressed</source>
        <translation>把应用的 permessage-deflate 提议传给服务器；关闭：去掉它，双方不压缩通信</translation>
    </message>
    <message>
        <source>Request headers rewritten on the way to the server:</source>
        <translation>发往服务器时改写的请求头：</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Header rewrites</source>
        <translation>请求头改写</translation>
    </message>
    <message>
        <source>Headers set (replaced or added) or removed in every handshake request the proxy forwards</source>
        <translation>在代理转发的每个握手请求中设置（替换或添加）或移除的请求头</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Add a header rewrite</source>
        <translation>添加请求头改写</translation>
    </message>
    <message>
        <source>Add a header to set or remove</source>
        <translation>添加要设置或移除的请求头</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>移除(&amp;V)</translation>
    </message>
    <message>
        <source>Remove the header rewrite</source>
        <translation>移除请求头改写</translation>
    </message>
    <message>
        <source>Remove the selected header rewrite</source>
        <translation>移除所选的请求头改写</translation>
    </message>
    <message>
        <source>Faults on what goes to the client</source>
        <translation>发往客户端的故障</translation>
    </message>
</context>
<context>
    <name>wst::ProxyTab</name>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopping: closing every connection with 1001</source>
        <translation>正在停止：以 1001 关闭每个连接</translation>
    </message>
    <message>
        <source>HTTP proxy — start the app with:</source>
        <translation>HTTP 代理 — 用以下参数启动应用：</translation>
    </message>
    <message numerus="yes">
        <source>HTTP proxy on %1 — %n connection(s) open</source>
        <translation>
            <numerusform>HTTP 代理位于 %1 — %n 个连接打开</numerusform>
        </translation>
    </message>
    <message>
        <source>Forwarding to %1 — point the app at:</source>
        <translation>转发到 %1 — 让应用连接：</translation>
    </message>
    <message numerus="yes">
        <source>Proxy %1 → %2 — %n connection(s) open</source>
        <translation>
            <numerusform>代理 %1 → %2 — %n 个连接打开</numerusform>
        </translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>未监听</translation>
    </message>
    <message>
        <source>Error — %1</source>
        <translation>错误 — %1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Proxy :%1</source>
        <translation>代理 :%1</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Connections (%1 open, %2 in all)</source>
        <translation>连接（%1 个打开，共 %2 个）</translation>
    </message>
    <message>
        <source>App ↔ proxy</source>
        <translation>应用 ↔ 代理</translation>
    </message>
    <message>
        <source>The handshake between the app and the proxy, as it crossed the wire</source>
        <translation>应用与代理之间的握手，与线路上传输的完全一致</translation>
    </message>
    <message>
        <source>Proxy ↔ server</source>
        <translation>代理 ↔ 服务器</translation>
    </message>
    <message>
        <source>The handshake between the proxy and the real server, as it crossed the wire</source>
        <translation>代理与真实服务器之间的握手，与线路上传输的完全一致</translation>
    </message>
    <message>
        <source>Handshakes of the selected connection</source>
        <translation>所选连接的握手</translation>
    </message>
    <message>
        <source>Both handshakes of the selected connection</source>
        <translation>所选连接的两次握手</translation>
    </message>
    <message>
        <source>Proxied connections</source>
        <translation>经代理的连接</translation>
    </message>
    <message>
        <source>Every connection through the proxy; select one to see its handshakes and only its messages</source>
        <translation>经过代理的每个连接；选中一个可查看其握手并只显示其消息</translation>
    </message>
    <message>
        <source>&amp;Replay</source>
        <translation>重放(&amp;R)</translation>
    </message>
    <message>
        <source>Inject the selected message again into the way it travelled</source>
        <translation>将所选消息按原方向再次注入</translation>
    </message>
    <message>
        <source>Name of this tab (empty: use the proxy&apos;s port):</source>
        <translation>此标签页的名称（留空：使用代理的端口）：</translation>
    </message>
    <message>
        <source>Use the Proxy&apos;s &amp;Port as Name</source>
        <translation>使用代理端口作为名称(&amp;P)</translation>
    </message>
    <message>
        <source>Edit Message %1 of Connection %2 (%3)</source>
        <translation>编辑连接 %2 的消息 %1（%3）</translation>
    </message>
</context>
<context>
    <name>wst::ProxyWorker</name>
    <message>
        <source>The proxy is already running.</source>
        <translation>代理已在运行。</translation>
    </message>
    <message>
        <source>A client failed the TLS handshake.</source>
        <translation>有客户端 TLS 握手失败。</translation>
    </message>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>无法在 %1 端口 %2 上监听：%3</translation>
    </message>
    <message>
        <source>Listening on %1, forwarding to %2</source>
        <translation>正在 %1 上监听，转发到 %2</translation>
    </message>
    <message>
        <source>Listening on %1 as an HTTP proxy</source>
        <translation>正在 %1 上作为 HTTP 代理监听</translation>
    </message>
    <message>
        <source>The client sent no complete request within %1 s.</source>
        <translation>客户端在 %1 秒内未发送完整请求。</translation>
    </message>
    <message>
        <source>The upstream %1 did not answer within %2 s.</source>
        <translation>上游 %1 在 %2 秒内没有应答。</translation>
    </message>
    <message>
        <source>The client&apos;s request head is longer than %1 bytes.</source>
        <translation>客户端的请求头部超过 %1 字节。</translation>
    </message>
    <message>
        <source>CONNECT %1:%2</source>
        <translation>CONNECT %1:%2</translation>
    </message>
    <message>
        <source>The client&apos;s request is not a WebSocket upgrade (%1 %2).</source>
        <translation>客户端的请求不是 WebSocket 升级请求（%1 %2）。</translation>
    </message>
    <message>
        <source>An HTTP proxy needs CONNECT or an absolute URL, not “%1”.</source>
        <translation>HTTP 代理需要 CONNECT 或绝对 URL，而不是“%1”。</translation>
    </message>
    <message>
        <source>The upstream %1 closed the connection before answering.</source>
        <translation>上游 %1 在应答前关闭了连接。</translation>
    </message>
    <message>
        <source>Stopping: closing every connection with 1001.</source>
        <translation>正在停止：以 1001 关闭所有连接。</translation>
    </message>
    <message>
        <source>proxy stopping</source>
        <translation>代理正在停止</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>A frame of %1 bytes (%2) is larger than the %3-byte limit: closed with 1009.</source>
        <translation>一个 %1 字节的帧（%2）超过 %3 字节的上限：已以 1009 关闭。</translation>
    </message>
    <message>
        <source>client to server</source>
        <translation>客户端到服务器</translation>
    </message>
    <message>
        <source>server to client</source>
        <translation>服务器到客户端</translation>
    </message>
    <message>
        <source>message too big</source>
        <translation>消息过大</translation>
    </message>
    <message>
        <source>A new message began before the last one ended (%1): passed on as it is.</source>
        <translation>上一条消息结束前开始了新消息（%1）：按原样转发。</translation>
    </message>
    <message>
        <source>A continuation frame came with no message to continue: passed on as it is.</source>
        <translation>收到延续帧，但没有可延续的消息：按原样转发。</translation>
    </message>
    <message>
        <source>A message is larger than the %1-byte limit: closed with 1009.</source>
        <translation>一条消息超过 %1 字节的上限：已以 1009 关闭。</translation>
    </message>
    <message>
        <source>A compressed message inflates to more than the %1-byte limit.</source>
        <translation>一条压缩消息解压后超过 %1 字节的上限。</translation>
    </message>
    <message>
        <source>A compressed message could not be inflated (%1): passed on as it is.</source>
        <translation>一条压缩消息无法解压（%1）：按原样转发。</translation>
    </message>
    <message>
        <source>%1 messages are held, the limit: later ones pass.</source>
        <translation>已扣留 %1 条消息，达到上限：之后的消息不再扣留。</translation>
    </message>
    <message>
        <source>held #%1 (breakpoint %2)</source>
        <translation>已扣留 #%1（断点 %2）</translation>
    </message>
    <message>
        <source>held #%1 (paused)</source>
        <translation>已扣留 #%1（已暂停）</translation>
    </message>
    <message>
        <source>Paused client → server.</source>
        <translation>已暂停 客户端 → 服务器。</translation>
    </message>
    <message>
        <source>Resumed client → server.</source>
        <translation>已恢复 客户端 → 服务器。</translation>
    </message>
    <message>
        <source>Paused server → client.</source>
        <translation>已暂停 服务器 → 客户端。</translation>
    </message>
    <message>
        <source>Resumed server → client.</source>
        <translation>已恢复 服务器 → 客户端。</translation>
    </message>
    <message>
        <source>dropped #%1</source>
        <translation>已丢弃 #%1</translation>
    </message>
    <message>
        <source>edited #%1: forwarded %2 bytes instead</source>
        <translation>已编辑 #%1：改为转发 %2 字节</translation>
    </message>
    <message>
        <source>forwarded #%1</source>
        <translation>已转发 #%1</translation>
    </message>
    <message>
        <source>Connection %1 is not open: nothing injected.</source>
        <translation>连接 %1 未打开：未注入任何内容。</translation>
    </message>
    <message>
        <source>injected %1 bytes (%2)</source>
        <translation>已注入 %1 字节（%2）</translation>
    </message>
    <message>
        <source>client → server</source>
        <translation>客户端 → 服务器</translation>
    </message>
    <message>
        <source>server → client</source>
        <translation>服务器 → 客户端</translation>
    </message>
    <message>
        <source>Closed by the proxy before the upgrade.</source>
        <translation>在升级前被代理关闭。</translation>
    </message>
    <message>
        <source>closed by the proxy</source>
        <translation>被代理关闭</translation>
    </message>
    <message>
        <source>The request inside the tunnel is longer than %1 bytes.</source>
        <translation>隧道内的请求超过 %1 字节。</translation>
    </message>
    <message>
        <source>The request inside the tunnel to %1:%2 is not a WebSocket upgrade.</source>
        <translation>到 %1:%2 的隧道内的请求不是 WebSocket 升级请求。</translation>
    </message>
    <message>
        <source>TLS inside the tunnel to %1:%2 passes through unread: it cannot be decrypted without a CA.</source>
        <translation>到 %1:%2 的隧道内的 TLS 未经读取直接通过：没有 CA 无法解密。</translation>
    </message>
    <message>
        <source>The upstream %1 failed: %2</source>
        <translation>上游 %1 失败：%2</translation>
    </message>
    <message>
        <source>The upstream&apos;s response head is longer than %1 bytes.</source>
        <translation>上游的响应头部超过 %1 字节。</translation>
    </message>
    <message>
        <source>The upstream %1 answered %2.</source>
        <translation>上游 %1 回应了 %2。</translation>
    </message>
    <message>
        <source>%1:%2 → %3</source>
        <translation>%1:%2 → %3</translation>
    </message>
</context>
<context>
    <name>wst::RecentlyUsed</name>
    <message>
        <source>the list of recent files does not read as XML (line %1: %2)</source>
        <translation>最近文件列表无法按 XML 读取（第 %1 行：%2）</translation>
    </message>
    <message>
        <source>the list of recent files is not XBEL (its root is &lt;%1&gt;)</source>
        <translation>最近文件列表不是 XBEL 格式（其根元素为 &lt;%1&gt;）</translation>
    </message>
    <message>
        <source>%1 is larger than %2 MiB; it was left as it is</source>
        <translation>%1 大于 %2 MiB，未作改动</translation>
    </message>
</context>
<context>
    <name>wst::RequestOptionsWidget</name>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Request options</source>
        <translation>请求选项</translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Extra headers sent with the opening handshake. Host, Origin, Upgrade, Connection and Sec-WebSocket-* are made by wstester and cannot be set here.</source>
        <translation>随开启握手发送的额外请求头。Host、Origin、Upgrade、Connection 和 Sec-WebSocket-* 由 wstester 生成，不能在此设置。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>添加请求头</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>移除请求头</translation>
    </message>
    <message>
        <source>Subprotocols</source>
        <translation>子协议</translation>
    </message>
    <message>
        <source>Subprotocols to offer, separated by commas, in order of preference (Sec-WebSocket-Protocol)</source>
        <translation>要提供的子协议，以逗号分隔，按优先顺序排列（Sec-WebSocket-Protocol）</translation>
    </message>
    <message>
        <source>e.g. chat, superchat</source>
        <translation>例如 chat, superchat</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>Origin</translation>
    </message>
    <message>
        <source>The Origin header of the handshake; empty sends none</source>
        <translation>握手中的 Origin 请求头；留空则不发送</translation>
    </message>
    <message>
        <source>e.g. https://example.com</source>
        <translation>例如 https://example.com</translation>
    </message>
    <message>
        <source>Connect timeout</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>How long to wait for the handshake to complete</source>
        <translation>等待握手完成的时长</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>subprotocols %1</source>
        <translation>子协议 %1</translation>
    </message>
    <message>
        <source>origin %1</source>
        <translation>Origin %1</translation>
    </message>
    <message>
        <source>timeout %1 s</source>
        <translation>超时 %1 秒</translation>
    </message>
    <message>
        <source>The header in row %1 has no name.</source>
        <translation>第 %1 行的请求头没有名称。</translation>
    </message>
    <message>
        <source>Header %1 is set twice: Qt sends one value per header name.</source>
        <translation>请求头 %1 被设置了两次：Qt 对每个请求头名称只发送一个值。</translation>
    </message>
    <message>
        <source>Add a row to the headers table (Insert)</source>
        <translation>在请求头表格中添加一行（Insert）</translation>
    </message>
    <message>
        <source>Remove the selected header rows (Delete)</source>
        <translation>移除所选的请求头行（Delete）</translation>
    </message>
    <message>
        <source>Head&amp;ers</source>
        <translation>请求头(&amp;E)</translation>
    </message>
    <message>
        <source>Su&amp;bprotocols:</source>
        <translation>子协议(&amp;B)：</translation>
    </message>
    <message>
        <source>Origi&amp;n:</source>
        <translation>Origi&amp;n：</translation>
    </message>
    <message>
        <source>Handsha&amp;ke timeout:</source>
        <translation>握手超时(&amp;K)：</translation>
    </message>
    <message>
        <source>headers: %1</source>
        <translation>请求头 %1 个</translation>
    </message>
    <message>
        <source>Reconnect au&amp;tomatically</source>
        <translation>自动重新连接(&amp;T)</translation>
    </message>
    <message>
        <source>Request option pages</source>
        <translation>请求选项页</translation>
    </message>
    <message>
        <source>The handshake, TLS and network options of the connection</source>
        <translation>连接的握手、TLS 和网络选项</translation>
    </message>
    <message>
        <source>Handshake</source>
        <translation>握手</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>Proxy &amp;&amp; reconnect</source>
        <translation>代理和重新连接</translation>
    </message>
    <message>
        <source>Extra headers, subprotocols, Origin and the connect timeout</source>
        <translation>额外的请求头、子协议、Origin 和连接超时</translation>
    </message>
    <message>
        <source>A custom CA, a client certificate and the minimum TLS version</source>
        <translation>自定义 CA、客户端证书和最低 TLS 版本</translation>
    </message>
    <message>
        <source>An upstream proxy and automatic reconnection</source>
        <translation>上游代理和自动重新连接</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>An upstream proxy to connect through: http://[user:password@]host:port for HTTP CONNECT, or socks5://[user:password@]host:port. Empty connects directly.</source>
        <translation>通过其进行连接的上游代理：http://[user:password@]host:port 表示 HTTP CONNECT，或 socks5://[user:password@]host:port。留空则直接连接。</translation>
    </message>
    <message>
        <source>none: e.g. http://127.0.0.1:3128 or socks5://user:pass@host:1080</source>
        <translation>无：例如 http://127.0.0.1:3128 或 socks5://user:pass@host:1080</translation>
    </message>
    <message>
        <source>Reconnect automatically</source>
        <translation>自动重新连接</translation>
    </message>
    <message>
        <source>After a lost or failed connection (not after your own close), try again, waiting twice as long each time up to the longest wait</source>
        <translation>连接中断或失败后（你自己关闭的除外）重试，每次等待时间加倍，直至最长等待时间</translation>
    </message>
    <message>
        <source>First retry after</source>
        <translation>首次重试等待</translation>
    </message>
    <message>
        <source>How long to wait before the first attempt</source>
        <translation>第一次尝试之前等待的时长</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>最长等待</translation>
    </message>
    <message>
        <source>The longest wait between two attempts</source>
        <translation>两次尝试之间的最长等待时间</translation>
    </message>
    <message>
        <source>first retr&amp;y after</source>
        <translation>首次重试等待(&amp;Y)</translation>
    </message>
    <message>
        <source>longest wa&amp;it</source>
        <translation>最长等待(&amp;I)</translation>
    </message>
    <message>
        <source>Pro&amp;xy:</source>
        <translation>代理(&amp;X)：</translation>
    </message>
    <message>
        <source>Reconnect:</source>
        <translation>重新连接：</translation>
    </message>
    <message>
        <source>Handshake (problem)</source>
        <translation>握手（有问题）</translation>
    </message>
    <message>
        <source>TLS (problem)</source>
        <translation>TLS（有问题）</translation>
    </message>
    <message>
        <source>Proxy &amp;&amp; reconnect (problem)</source>
        <translation>代理和重新连接（有问题）</translation>
    </message>
    <message>
        <source>proxy %1:%2</source>
        <translation>代理 %1:%2</translation>
    </message>
    <message>
        <source>auto-reconnect</source>
        <translation>自动重新连接</translation>
    </message>
    <message>
        <source>value not saved</source>
        <translation>值未保存</translation>
    </message>
    <message>
        <source>%1 has no value: its value was not saved with the session. Type it or remove the header.</source>
        <translation>%1 没有值：它的值未随会话保存。请输入该值或删除此请求头。</translation>
    </message>
    <message>
        <source>The proxy has no password: it was not saved with the session. Type it in the proxy address or remove the proxy.</source>
        <translation>代理没有密码：密码未随会话保存。请在代理地址中输入密码，或移除代理。</translation>
    </message>
    <message>
        <source>The value was not saved with the session: type it</source>
        <translation>该值未随会话保存：请输入</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Protocol: %1</source>
        <translation>协议：%1</translation>
    </message>
    <message>
        <source>Socket.IO, GraphQL over WebSocket, STOMP or MQTT, and their settings</source>
        <translation>Socket.IO、GraphQL over WebSocket、STOMP 或 MQTT 及其设置</translation>
    </message>
    <message>
        <source>Compression:</source>
        <translation>压缩：</translation>
    </message>
    <message>
        <source>no compression</source>
        <translation>不压缩</translation>
    </message>
</context>
<context>
    <name>wst::RuleActionRow</name>
    <message>
        <source>%1.</source>
        <translation>%1.</translation>
    </message>
    <message>
        <source>Action %1</source>
        <translation>动作 %1</translation>
    </message>
    <message>
        <source>What this step does: send a reply, wait, or close the connection</source>
        <translation>此步骤做什么：发送回复、等待或关闭连接</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Move action %1 up</source>
        <translation>上移动作 %1</translation>
    </message>
    <message>
        <source>Do this action earlier</source>
        <translation>提前执行此动作</translation>
    </message>
    <message>
        <source>Move action %1 down</source>
        <translation>下移动作 %1</translation>
    </message>
    <message>
        <source>Do this action later</source>
        <translation>推后执行此动作</translation>
    </message>
    <message>
        <source>Remove action %1</source>
        <translation>移除动作 %1</translation>
    </message>
    <message>
        <source>Remove this action</source>
        <translation>移除此动作</translation>
    </message>
    <message>
        <source>Reply text of action %1</source>
        <translation>动作 %1 的回复文本</translation>
    </message>
    <message>
        <source>reply, e.g. you said {{message}}</source>
        <translation>回复，例如 you said {{message}}</translation>
    </message>
    <message>
        <source>Delay of action %1</source>
        <translation>动作 %1 的延迟</translation>
    </message>
    <message>
        <source>How long to wait before the next action</source>
        <translation>执行下一个动作前等待的时长</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>Close code of action %1</source>
        <translation>动作 %1 的关闭码</translation>
    </message>
    <message>
        <source>Close reason of action %1</source>
        <translation>动作 %1 的关闭原因</translation>
    </message>
    <message>
        <source>Optional reason, at most 123 bytes in UTF-8</source>
        <translation>可选的原因，按 UTF-8 编码最多 123 字节</translation>
    </message>
    <message>
        <source>reason (optional)</source>
        <translation>原因（可选）</translation>
    </message>
    <message>
        <source>The close code: 1000-1003, 1007-1014 or 3000-4999</source>
        <translation>关闭码：1000-1003、1007-1014 或 3000-4999</translation>
    </message>
    <message>
        <source>To the others</source>
        <translation>发给其他客户端</translation>
    </message>
    <message>
        <source>Text of action %1, sent to every other client</source>
        <translation>动作 %1 的文本，发给其他每个客户端</translation>
    </message>
    <message>
        <source>{{message}} is the message received, {{$.user}} a value in it (a JSON path), {{client}} the client&apos;s id, {{time}} the time</source>
        <translation>{{message}} 是收到的消息，{{$.user}} 是其中的一个值（JSON 路径），{{client}} 是客户端编号，{{time}} 是时间</translation>
    </message>
    <message>
        <source>e.g. {{$.user}} joined</source>
        <translation>例如 {{$.user}} 已加入</translation>
    </message>
</context>
<context>
    <name>wst::RulesEditor</name>
    <message>
        <source>Reply rules</source>
        <translation>回复规则</translation>
    </message>
    <message>
        <source>The rules, tried in this order: the first whose match fits the message runs its actions</source>
        <translation>按此顺序尝试规则：第一条与消息匹配的规则执行其动作</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Add a rule at the end of the list (Insert in the list)</source>
        <translation>在列表末尾添加一条规则（在列表中按 Insert）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>移除规则</translation>
    </message>
    <message>
        <source>Remove the selected rule (Delete in the list)</source>
        <translation>移除所选规则（在列表中按 Delete）</translation>
    </message>
    <message>
        <source>Move rule up</source>
        <translation>上移规则</translation>
    </message>
    <message>
        <source>Try the selected rule earlier (Alt+Up)</source>
        <translation>提前尝试所选规则（Alt+Up）</translation>
    </message>
    <message>
        <source>Move rule down</source>
        <translation>下移规则</translation>
    </message>
    <message>
        <source>Try the selected rule later (Alt+Down)</source>
        <translation>推后尝试所选规则（Alt+Down）</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>加载…</translation>
    </message>
    <message>
        <source>Load rules</source>
        <translation>加载规则</translation>
    </message>
    <message>
        <source>Replace these rules with the rules of a JSON file (the format of wstester serve --rules)</source>
        <translation>用某个 JSON 文件中的规则替换这些规则（格式同 wstester serve --rules）</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <source>Save these rules as a JSON file that wstester serve --rules reads</source>
        <translation>将这些规则保存为 wstester serve --rules 可读取的 JSON 文件</translation>
    </message>
    <message>
        <source>&amp;Rules, tried in order:</source>
        <translation>规则（按顺序尝试）(&amp;R)：</translation>
    </message>
    <message>
        <source>Match kind</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <source>How the message is compared: the exact text, a substring, a regular expression, or the value of a JSON field</source>
        <translation>消息的比较方式：完全相同的文本、子字符串、正则表达式，或某个 JSON 字段的值</translation>
    </message>
    <message>
        <source>is exactly</source>
        <translation>完全等于</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>包含</translation>
    </message>
    <message>
        <source>matches the regular expression</source>
        <translation>匹配正则表达式</translation>
    </message>
    <message>
        <source>has the JSON field</source>
        <translation>含有 JSON 字段</translation>
    </message>
    <message>
        <source>JSON field path</source>
        <translation>JSON 字段路径</translation>
    </message>
    <message>
        <source>A dotted path into the message&apos;s JSON, such as op or data.items.0.id</source>
        <translation>指向消息 JSON 内部的点分路径，例如 op 或 data.items.0.id</translation>
    </message>
    <message>
        <source>path, e.g. op or data.items.0.id</source>
        <translation>路径，例如 op 或 data.items.0.id</translation>
    </message>
    <message>
        <source>Match value</source>
        <translation>匹配值</translation>
    </message>
    <message>
        <source>The text, substring, pattern or field value the message must have</source>
        <translation>消息必须具有的文本、子字符串、模式或字段值</translation>
    </message>
    <message>
        <source>When the &amp;message</source>
        <translation>当消息(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Field:</source>
        <translation>字段(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation>值(&amp;V)：</translation>
    </message>
    <message>
        <source>+ Re&amp;ply</source>
        <translation>+ 回复(&amp;P)</translation>
    </message>
    <message>
        <source>Add reply</source>
        <translation>添加回复</translation>
    </message>
    <message>
        <source>Add an action that sends a reply; {{message}}, {{client}} and {{time}} are filled in</source>
        <translation>添加一个发送回复的动作；{{message}}、{{client}} 和 {{time}} 会被自动填入</translation>
    </message>
    <message>
        <source>+ &amp;Delay</source>
        <translation>+ 延迟(&amp;D)</translation>
    </message>
    <message>
        <source>Add delay</source>
        <translation>添加延迟</translation>
    </message>
    <message>
        <source>Add an action that waits before the next one</source>
        <translation>添加一个在执行下一个动作前等待的动作</translation>
    </message>
    <message>
        <source>+ Cl&amp;ose</source>
        <translation>+ 关闭(&amp;O)</translation>
    </message>
    <message>
        <source>Add close</source>
        <translation>添加关闭</translation>
    </message>
    <message>
        <source>Add an action that closes the connection with a code and reason</source>
        <translation>添加一个以关闭码和原因关闭连接的动作</translation>
    </message>
    <message>
        <source>then, in order:</source>
        <translation>则依次执行：</translation>
    </message>
    <message>
        <source>Rule %1: %2</source>
        <translation>规则 %1：%2</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Load reply rules</source>
        <translation>加载回复规则</translation>
    </message>
    <message>
        <source>Reply rules (*.json);;All files (*)</source>
        <translation>回复规则 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save reply rules</source>
        <translation>保存回复规则</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>No rules yet. Add one: every text message is compared with the rules in order, and the first that matches runs its actions.</source>
        <translation>还没有规则。请添加一条：每条文本消息都会按顺序与规则比较，第一条匹配的规则执行其动作。</translation>
    </message>
    <message>
        <source>Select a rule to edit it.</source>
        <translation>选择一条规则以编辑它。</translation>
    </message>
    <message>
        <source>the whole message, e.g. ping</source>
        <translation>整条消息，例如 ping</translation>
    </message>
    <message>
        <source>a piece of the message, e.g. help</source>
        <translation>消息的一部分，例如 help</translation>
    </message>
    <message>
        <source>a pattern, e.g. ^order-(\d+)$</source>
        <translation>一个模式，例如 ^order-(\d+)$</translation>
    </message>
    <message>
        <source>the field&apos;s value (empty: the field exists)</source>
        <translation>字段的值（留空：字段存在即可）</translation>
    </message>
    <message>
        <source>F&amp;aults of its replies:</source>
        <translation>其回复的故障(&amp;A)：</translation>
    </message>
    <message>
        <source>Faults of this rule&apos;s replies</source>
        <translation>此规则回复的故障</translation>
    </message>
    <message>
        <source>Faults for the replies this rule sends, instead of the server&apos;s, separated by semicolons: delay=MS[,jitter=MS], drop=PERCENT, fragment=N, corrupt=utf8|opcode|rsv[,at=N], seed=N. Empty: the server&apos;s faults apply.</source>
        <translation>此规则发送的回复所用的故障（代替服务器的故障），以分号分隔：delay=MS[,jitter=MS]、drop=PERCENT、fragment=N、corrupt=utf8|opcode|rsv[,at=N]、seed=N。留空：使用服务器的故障。</translation>
    </message>
    <message>
        <source>none, e.g. delay=300,jitter=50; drop=10</source>
        <translation>无，例如 delay=300,jitter=50; drop=10</translation>
    </message>
</context>
<context>
    <name>wst::SavedMessageDialog</name>
    <message>
        <source>Edit Saved Message</source>
        <translation>编辑已保存的消息</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>The name shown in the Saved messages panel</source>
        <translation>在“已保存的消息”面板中显示的名称</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>How the body is sent: as text, as checked JSON, or as binary written in hex or base64</source>
        <translation>消息体的发送方式：作为文本、作为经过检查的 JSON，或作为以十六进制或 base64 书写的二进制数据</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Binary (hex)</source>
        <translation>二进制（十六进制）</translation>
    </message>
    <message>
        <source>Binary (base64)</source>
        <translation>二进制（base64）</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>The message; {{name}} is filled from the variables when it is sent</source>
        <translation>消息内容；发送时 {{name}} 会用变量的值填充</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>消息(&amp;M)：</translation>
    </message>
    <message>
        <source>Give the message a name.</source>
        <translation>请为消息命名。</translation>
    </message>
</context>
<context>
    <name>wst::SavedMessagesPanel</name>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>hex</source>
        <translation>十六进制</translation>
    </message>
    <message>
        <source>base64</source>
        <translation>base64</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>&amp;Variables…</source>
        <translation>变量(&amp;V)…</translation>
    </message>
    <message>
        <source>Saved messages</source>
        <translation>已保存的消息</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Edit the session&apos;s variables: {{name}} in a message is replaced by its value when sent</source>
        <translation>编辑会话的变量：发送时，消息中的 {{name}} 会被替换为其值</translation>
    </message>
    <message>
        <source>&amp;Global (every connection)</source>
        <translation>全局（所有连接）(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;This connection</source>
        <translation>此连接(&amp;T)</translation>
    </message>
    <message>
        <source>Save the composer&apos;s message</source>
        <translation>保存消息编辑区中的消息</translation>
    </message>
    <message>
        <source>Save the composer&apos;s message in the global list, shown in every connection</source>
        <translation>将消息编辑区中的消息保存到全局列表中，所有连接均可见</translation>
    </message>
    <message>
        <source>Save the composer&apos;s message in this connection&apos;s list (Ctrl+D)</source>
        <translation>将消息编辑区中的消息保存到此连接的列表中（Ctrl+D）</translation>
    </message>
    <message>
        <source>Global saved messages</source>
        <translation>全局已保存的消息</translation>
    </message>
    <message>
        <source>This connection&apos;s saved messages</source>
        <translation>此连接已保存的消息</translation>
    </message>
    <message>
        <source>Click the arrow, double-click or press Enter to send a message; right-click for more</source>
        <translation>单击箭头、双击或按 Enter 发送消息；右键单击可查看更多操作</translation>
    </message>
    <message>
        <source>Messages saved here are shown in every connection.</source>
        <translation>保存在这里的消息在所有连接中都可见。</translation>
    </message>
    <message>
        <source>No saved messages yet: write one in the composer and press Ctrl+D.</source>
        <translation>还没有已保存的消息：在消息编辑区中写一条，然后按 Ctrl+D。</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send saved message</source>
        <translation>发送已保存的消息</translation>
    </message>
    <message>
        <source>Send the selected message, with its variables filled (Enter)</source>
        <translation>发送所选消息，并填入其中的变量（Enter）</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Edit saved message</source>
        <translation>编辑已保存的消息</translation>
    </message>
    <message>
        <source>Change the selected message&apos;s name, format or text</source>
        <translation>修改所选消息的名称、格式或内容</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete saved message</source>
        <translation>删除已保存的消息</translation>
    </message>
    <message>
        <source>Delete the selected message (Delete)</source>
        <translation>删除所选消息（Delete）</translation>
    </message>
    <message>
        <source>More actions</source>
        <translation>更多操作</translation>
    </message>
    <message>
        <source>Rename, put in the composer, send periodically, move or copy the selected message</source>
        <translation>重命名、放入消息编辑区、定时发送、移动或复制所选消息</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>Put in the &amp;Composer</source>
        <translation>放入消息编辑区(&amp;C)</translation>
    </message>
    <message>
        <source>Send &amp;Periodically</source>
        <translation>定时发送(&amp;P)</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <source>Move &amp;Down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <source>Copy to &amp;This Connection</source>
        <translation>复制到此连接(&amp;T)</translation>
    </message>
    <message>
        <source>Copy to &amp;Global</source>
        <translation>复制到全局(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Rename Saved Message</source>
        <translation>重命名已保存的消息</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Delete Saved Message</source>
        <translation>删除已保存的消息</translation>
    </message>
    <message>
        <source>Delete the saved message “%1”?</source>
        <translation>要删除已保存的消息“%1”吗？</translation>
    </message>
</context>
<context>
    <name>wst::SavedMessagesSide</name>
    <message>
        <source>Saved messages</source>
        <translation>已保存的消息</translation>
    </message>
    <message>
        <source>Show or hide the saved messages and the variables (Ctrl+B)</source>
        <translation>显示或隐藏已保存的消息和变量（Ctrl+B）</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存消息</translation>
    </message>
    <message>
        <source>Write a message in the composer first.</source>
        <translation>请先在消息编辑区中输入一条消息。</translation>
    </message>
    <message>
        <source>Save for Every Connection</source>
        <translation>为所有连接保存</translation>
    </message>
    <message>
        <source>Save for This Connection</source>
        <translation>为此连接保存</translation>
    </message>
    <message>
        <source>Name of the saved message:</source>
        <translation>已保存消息的名称：</translation>
    </message>
    <message>
        <source>“%1” was not sent: connect first.</source>
        <translation>“%1”未发送：请先连接。</translation>
    </message>
    <message>
        <source>“%1” was not sent: %2</source>
        <translation>“%1”未发送：%2</translation>
    </message>
</context>
<context>
    <name>wst::ScenarioEditor</name>
    <message>
        <source>Scenario file</source>
        <translation>场景文件</translation>
    </message>
    <message>
        <source>The scenario as JSON (*.wstest.json); it is checked as you type. Ctrl+S saves it.</source>
        <translation>场景的 JSON 文本（*.wstest.json），输入时即检查。按 Ctrl+S 保存。</translation>
    </message>
    <message>
        <source>Open a scenario file or start a new one.</source>
        <translation>打开一个场景文件，或新建一个。</translation>
    </message>
</context>
<context>
    <name>wst::ScenarioRecordDialog</name>
    <message>
        <source>Create Test</source>
        <translation>创建测试</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>What the test checks</source>
        <translation>此测试检查的内容</translation>
    </message>
    <message>
        <source>Test name</source>
        <translation>测试名称</translation>
    </message>
    <message>
        <source>&amp;Steps: sent messages are sent again, received ones are expected</source>
        <translation>步骤(&amp;S)：已发送的消息会再次发送，已接收的消息作为预期</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Recorded steps</source>
        <translation>录制的步骤</translation>
    </message>
    <message>
        <source>C&amp;ontains:</source>
        <translation>包含(&amp;O)：</translation>
    </message>
    <message>
        <source>The part of the message that must be in the message received when the test runs</source>
        <translation>测试运行时收到的消息中必须包含的部分</translation>
    </message>
    <message>
        <source>&amp;Compare:</source>
        <translation>比较(&amp;C)：</translation>
    </message>
    <message>
        <source>The top-level members whose values must be the same; unchecked ones are not compared (ids, tokens and times change from run to run)</source>
        <translation>值必须相同的顶层成员；未勾选的不比较（ID、令牌和时间每次运行都会变化）</translation>
    </message>
    <message>
        <source>JSON members to compare</source>
        <translation>要比较的 JSON 成员</translation>
    </message>
    <message>
        <source>&amp;Keep the gaps as waits</source>
        <translation>将间隔保留为等待(&amp;K)</translation>
    </message>
    <message>
        <source>Wait as long as you did between the steps before each send, as recorded</source>
        <translation>每次发送前按录制时的间隔等待同样长的时间</translation>
    </message>
    <message>
        <source>&amp;Preview:</source>
        <translation>预览(&amp;P)：</translation>
    </message>
    <message>
        <source>Scenario preview</source>
        <translation>场景预览</translation>
    </message>
    <message>
        <source>&amp;Save As…</source>
        <translation>另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the test as a .wstest.json file that the Tests panel and &quot;wstester test&quot; run</source>
        <translation>将测试保存为 .wstest.json 文件，供“测试”面板和“wstester test”运行</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>Contains</source>
        <translation>包含</translation>
    </message>
    <message>
        <source>JSON path</source>
        <translation>JSON 路径</translation>
    </message>
    <message>
        <source>How closely the received message must match what was recorded</source>
        <translation>收到的消息须与录制内容匹配到什么程度</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Expect</source>
        <translation>预期</translation>
    </message>
    <message>
        <source>Expect close</source>
        <translation>预期关闭</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>subprotocol %1</source>
        <translation>子协议 %1</translation>
    </message>
    <message>
        <source>(after %1 ms)</source>
        <translation>（%1 毫秒后）</translation>
    </message>
    <message>
        <source>code %1</source>
        <translation>代码 %1</translation>
    </message>
    <message>
        <source>any code</source>
        <translation>任意代码</translation>
    </message>
    <message>
        <source>Nothing to replay here: select sent or received messages, or the connection&apos;s events.</source>
        <translation>这里没有可重放的内容：请选择已发送或已接收的消息，或连接的事件。</translation>
    </message>
    <message>
        <source>Set before running: %1. Secrets are written as {{variables}}, never as their values.</source>
        <translation>运行前请设置：%1。机密以 {{变量}} 的形式写入，绝不写入其值。</translation>
    </message>
    <message>
        <source>Cannot save %1: %2.</source>
        <translation>无法保存 %1：%2。</translation>
    </message>
    <message>
        <source>Save Test As</source>
        <translation>测试另存为</translation>
    </message>
    <message>
        <source>Tests (*.wstest.json)</source>
        <translation>测试 (*.wstest.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Save Test</source>
        <translation>保存测试</translation>
    </message>
    <message>
        <source>%1 already exists. Do you want to replace it?</source>
        <translation>%1 已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>wst::ScenarioRecording</name>
    <message>
        <source>Create &amp;Test from Selection…</source>
        <translation>从所选内容创建测试(&amp;T)…</translation>
    </message>
    <message>
        <source>Make a test of the selected messages: what was sent is sent again, what was received is expected</source>
        <translation>用所选消息创建测试：已发送的会再次发送，已接收的作为预期</translation>
    </message>
    <message>
        <source>Create Test from &amp;Session…</source>
        <translation>从会话创建测试(&amp;S)…</translation>
    </message>
    <message>
        <source>Make a test of every client tab&apos;s history: one connection per tab, the steps in time order</source>
        <translation>用每个客户端标签页的历史创建测试：每个标签页一个连接，步骤按时间顺序</translation>
    </message>
    <message numerus="yes">
        <source>Only the first %n message(s) are used; %1 more are left out.</source>
        <translation>
            <numerusform>只使用了前 %n 条消息；另有 %1 条未包含。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wst::ScenarioRunner</name>
    <message>
        <source>stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>connection %1 is not open.</source>
        <translation>连接 %1 未打开。</translation>
    </message>
    <message>
        <source>connection %1 could not be made.</source>
        <translation>无法建立连接 %1。</translation>
    </message>
    <message>
        <source>pong in %1 ms</source>
        <translation>%1 毫秒后收到 pong</translation>
    </message>
    <message>
        <source>connection %1 is already open.</source>
        <translation>连接 %1 已经打开。</translation>
    </message>
    <message>
        <source>1 byte sent</source>
        <translation>已发送 1 字节</translation>
    </message>
    <message>
        <source>%1 bytes sent</source>
        <translation>已发送 %1 字节</translation>
    </message>
    <message>
        <source>the ping payload is longer than 125 bytes.</source>
        <translation>ping 负载超过 125 字节。</translation>
    </message>
    <message>
        <source>connection %1 was never opened: add a connect step before this one.</source>
        <translation>连接 %1 从未打开：请在此步骤之前添加一个 connect 步骤。</translation>
    </message>
    <message>
        <source>a message matching %1 arrived: %2</source>
        <translation>收到了匹配 %1 的消息：%2</translation>
    </message>
    <message>
        <source>strict: this message arrived first and does not match %1: %2</source>
        <translation>严格模式：先收到的这条消息与 %1 不匹配：%2</translation>
    </message>
    <message>
        <source>a close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1, expected %2.</source>
        <translation>%1，期望 %2。</translation>
    </message>
    <message>
        <source>the connection closed (%1) before a message matching %2 arrived; %3</source>
        <translation>在收到匹配 %2 的消息之前连接已关闭（%1）；%3</translation>
    </message>
    <message>
        <source>nothing matching arrived in %1 ms</source>
        <translation>%1 毫秒内未收到匹配的消息</translation>
    </message>
    <message>
        <source>no message matching %1 within %2 ms; %3</source>
        <translation>%2 毫秒内未收到匹配 %1 的消息；%3</translation>
    </message>
    <message>
        <source>the connection was not closed within %1 ms; %2</source>
        <translation>连接未在 %1 毫秒内关闭；%2</translation>
    </message>
    <message>
        <source>cannot connect: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message>
        <source>the connection did not open within %1 ms.</source>
        <translation>连接未在 %1 毫秒内打开。</translation>
    </message>
    <message>
        <source>no pong within %1 ms.</source>
        <translation>%1 毫秒内未收到 pong。</translation>
    </message>
    <message>
        <source>the server sent no Close frame within %1 ms (expected %2).</source>
        <translation>服务器未在 %1 毫秒内发送 Close 帧（期望 %2）。</translation>
    </message>
    <message>
        <source>the connection did not close within %1 ms.</source>
        <translation>连接未在 %1 毫秒内关闭。</translation>
    </message>
    <message>
        <source>the connection ended before the pong: %1</source>
        <translation>在收到 pong 之前连接已结束：%1</translation>
    </message>
    <message>
        <source>no other messages received.</source>
        <translation>未收到其他消息。</translation>
    </message>
    <message>
        <source>1 other message received: %1</source>
        <translation>收到 1 条其他消息：%1</translation>
    </message>
    <message>
        <source>%1 other messages received, the last %2: %3</source>
        <translation>收到 %1 条其他消息，最后 %2 条：%3</translation>
    </message>
    <message>
        <source>%1 other messages received: %2</source>
        <translation>收到 %1 条其他消息：%2</translation>
    </message>
    <message>
        <source>expected status %1, got: %2</source>
        <translation>期望状态码 %1，实际为：%2</translation>
    </message>
    <message>
        <source>expected status %1, but the connection opened (101).</source>
        <translation>期望状态码 %1，但连接已打开（101）。</translation>
    </message>
    <message>
        <source>expected subprotocol &quot;%1&quot;, the server chose none.</source>
        <translation>期望子协议 &quot;%1&quot;，但服务器未选择任何子协议。</translation>
    </message>
    <message>
        <source>expected subprotocol &quot;%1&quot;, the server chose &quot;%2&quot;.</source>
        <translation>期望子协议 &quot;%1&quot;，但服务器选择了 &quot;%2&quot;。</translation>
    </message>
    <message>
        <source>the response has no %1 header.</source>
        <translation>响应中没有 %1 响应头。</translation>
    </message>
    <message>
        <source>response header %1 is &quot;%2&quot;, expected &quot;%3&quot;.</source>
        <translation>响应头 %1 为 &quot;%2&quot;，期望 &quot;%3&quot;。</translation>
    </message>
    <message>
        <source>the server answered with %1</source>
        <translation>服务器以 %1 响应</translation>
    </message>
    <message>
        <source>the server&apos;s Close frame carried %1, expected %2.</source>
        <translation>服务器的 Close 帧携带 %1，期望 %2。</translation>
    </message>
    <message>
        <source>connection %1 no longer exists.</source>
        <translation>连接 %1 已不存在。</translation>
    </message>
    <message>
        <source>send: no connection named &quot;%1&quot;.</source>
        <translation>send：没有名为 &quot;%1&quot; 的连接。</translation>
    </message>
    <message>
        <source>send: connection %1 is not open.</source>
        <translation>send：连接 %1 未打开。</translation>
    </message>
    <message>
        <source>the script ran in %1 ms</source>
        <translation>脚本运行了 %1 毫秒</translation>
    </message>
    <message>
        <source>onMessage of %1, on the message %2: %3</source>
        <translation>%1 的 onMessage 处理消息 %2 时：%3</translation>
    </message>
    <message>
        <source>onMessage, on the message %1 received by %2: %3</source>
        <translation>onMessage 处理 %2 收到的消息 %1 时：%3</translation>
    </message>
    <message>
        <source>&quot;protocol&quot;: %1</source>
        <translation>&quot;protocol&quot;：%1</translation>
    </message>
    <message>
        <source>the %1 handshake was not done within %2 ms.</source>
        <translation>%1 握手未在 %2 毫秒内完成。</translation>
    </message>
    <message>
        <source>no reply within %1 ms.</source>
        <translation>%1 毫秒内未收到回复。</translation>
    </message>
    <message>
        <source>the connection did not take the command within %1 ms.</source>
        <translation>连接未在 %1 毫秒内接受命令。</translation>
    </message>
    <message>
        <source>the connection ended before the %1 handshake was done: %2</source>
        <translation>%1 握手完成前连接已结束：%2</translation>
    </message>
    <message>
        <source>the connection ended before the reply: %1</source>
        <translation>收到回复前连接已结束：%1</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>queued until the %1 handshake is done</source>
        <translation>已排队，等待 %1 握手完成</translation>
    </message>
    <message>
        <source>%1; %2 ready</source>
        <translation>%1；%2 已就绪</translation>
    </message>
    <message>
        <source>the %1 handshake failed: %2</source>
        <translation>%1 握手失败：%2</translation>
    </message>
    <message>
        <source>an error instead of the reply: %1</source>
        <translation>收到错误而非回复：%1</translation>
    </message>
    <message>
        <source>reply in %1 ms: %2</source>
        <translation>%1 毫秒后回复：%2</translation>
    </message>
    <message>
        <source>reply: %1</source>
        <translation>回复：%1</translation>
    </message>
</context>
<context>
    <name>wst::ScenarioScriptApi</name>
    <message>
        <source>vars.set: &quot;%1&quot; is not a name that can be used as {{name}}.</source>
        <translation>vars.set：&quot;%1&quot; 不是可用作 {{name}} 的名称。</translation>
    </message>
</context>
<context>
    <name>wst::ScenarioStepModel</name>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
</context>
<context>
    <name>wst::ScenarioTabs</name>
    <message>
        <source>test: %1 · %2</source>
        <translation>测试：%1 · %2</translation>
    </message>
</context>
<context>
    <name>wst::Schema</name>
    <message>
        <source>The session file cannot use write-ahead logging: %1</source>
        <translation>会话文件无法使用预写日志（WAL）：%1</translation>
    </message>
    <message>
        <source>The file %1 does not exist.</source>
        <translation>文件 %1 不存在。</translation>
    </message>
    <message>
        <source>%1 is a folder, not a session file.</source>
        <translation>%1 是一个文件夹，而不是会话文件。</translation>
    </message>
    <message>
        <source>The file %1 cannot be read: %2</source>
        <translation>无法读取文件 %1：%2</translation>
    </message>
    <message>
        <source>The file %1 is empty: it is not a wstester session.</source>
        <translation>文件 %1 为空：它不是 wstester 会话。</translation>
    </message>
    <message>
        <source>The file %1 is not a wstester session (it is not an SQLite database).</source>
        <translation>文件 %1 不是 wstester 会话（它不是 SQLite 数据库）。</translation>
    </message>
    <message>
        <source>The file %1 is truncated: it holds %2 of the %3 bytes it should have.</source>
        <translation>文件 %1 已被截断：它只有 %2 字节，应有 %3 字节。</translation>
    </message>
    <message>
        <source>The file %1 cannot be opened: %2</source>
        <translation>无法打开文件 %1：%2</translation>
    </message>
    <message>
        <source>The file %1 is damaged: %2</source>
        <translation>文件 %1 已损坏：%2</translation>
    </message>
    <message>
        <source>The file %1 is an SQLite database, but not a wstester session.</source>
        <translation>文件 %1 是 SQLite 数据库，但不是 wstester 会话。</translation>
    </message>
    <message>
        <source>The file %1 was saved by a newer wstester (session format %2; this version reads up to %3). Update wstester to open it.</source>
        <translation>文件 %1 由更新版本的 wstester 保存（会话格式 %2；此版本最高只能读取 %3）。请更新 wstester 后再打开。</translation>
    </message>
    <message>
        <source>The file %1 has no session format version: it is not a wstester session.</source>
        <translation>文件 %1 没有会话格式版本：它不是 wstester 会话。</translation>
    </message>
    <message>
        <source>The file %1 is damaged: the table “%2” is missing.</source>
        <translation>文件 %1 已损坏：缺少表“%2”。</translation>
    </message>
    <message>
        <source>The session file %1 cannot be created: %2</source>
        <translation>无法创建会话文件 %1：%2</translation>
    </message>
    <message>
        <source>The session file %1 cannot be written: %2</source>
        <translation>无法写入会话文件 %1：%2</translation>
    </message>
    <message>
        <source>The session is not open.</source>
        <translation>会话未打开。</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>%1 is a folder.</source>
        <translation>%1 是一个文件夹。</translation>
    </message>
    <message>
        <source>Cannot write in %1: %2</source>
        <translation>无法在 %1 中写入：%2</translation>
    </message>
    <message>
        <source>Cannot copy the session: %1</source>
        <translation>无法复制会话：%1</translation>
    </message>
    <message>
        <source>The disk is full: the session could not be saved to %1.</source>
        <translation>磁盘已满：无法将会话保存到 %1。</translation>
    </message>
    <message>
        <source>Cannot copy the session to %1: %2</source>
        <translation>无法将会话复制到 %1：%2</translation>
    </message>
    <message>
        <source>Cannot finish the copy at %1: %2</source>
        <translation>无法在 %1 完成复制：%2</translation>
    </message>
    <message>
        <source>Cannot prepare the copy at %1: %2</source>
        <translation>无法在 %1 准备复制：%2</translation>
    </message>
    <message>
        <source>Cannot replace %1: %2</source>
        <translation>无法替换 %1：%2</translation>
    </message>
    <message>
        <source>The session file %1 was left unfinished and cannot be made anew: %2</source>
        <translation>会话文件 %1 未完成创建，且无法重新创建：%2</translation>
    </message>
    <message>
        <source>The session file %1 was left unfinished by a wstester that stopped while creating it and held no message: it is now a new empty session.</source>
        <translation>会话文件 %1 在创建过程中因 wstester 中止而未完成，其中没有任何消息：现已改为一个新的空会话。</translation>
    </message>
    <message>
        <source>The session file %1 cannot be opened: %2</source>
        <translation>无法打开会话文件 %1：%2</translation>
    </message>
</context>
<context>
    <name>wst::ServerCheck</name>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>lenient</source>
        <translation>宽松</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>could not connect: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message>
        <source>handshake refused: %1</source>
        <translation>握手被拒绝：%1</translation>
    </message>
    <message>
        <source>sent a frame of %1 bytes</source>
        <translation>发送了 %1 字节的帧</translation>
    </message>
    <message>
        <source>closed without a code</source>
        <translation>关闭（无代码）</translation>
    </message>
    <message>
        <source>closed %1</source>
        <translation>关闭 %1</translation>
    </message>
    <message>
        <source>%1 (expected %2)</source>
        <translation>%1（应为 %2）</translation>
    </message>
    <message>
        <source>ponged</source>
        <translation>回复了 pong</translation>
    </message>
    <message>
        <source>ponged with another payload</source>
        <translation>回复的 pong 载荷不同</translation>
    </message>
    <message>
        <source>echoed</source>
        <translation>回显</translation>
    </message>
    <message>
        <source>sent another message (%1, %2 bytes)</source>
        <translation>发送了另一条消息（%1，%2 字节）</translation>
    </message>
    <message>
        <source>ignored (the next message was echoed)</source>
        <translation>已忽略（下一条消息被回显）</translation>
    </message>
    <message>
        <source>answered it with a message</source>
        <translation>以一条消息作答</translation>
    </message>
    <message>
        <source>echoed a message sent after the Close</source>
        <translation>回显了 Close 之后发送的消息</translation>
    </message>
    <message>
        <source>echoed an incomplete frame</source>
        <translation>回显了不完整的帧</translation>
    </message>
    <message>
        <source>closed the TCP connection during the handshake</source>
        <translation>在握手期间关闭了 TCP 连接</translation>
    </message>
    <message>
        <source>dropped TCP without a Close</source>
        <translation>未发 Close 即断开 TCP</translation>
    </message>
    <message>
        <source>no handshake response</source>
        <translation>没有握手响应</translation>
    </message>
    <message>
        <source>waited (nothing in %1 s)</source>
        <translation>在等待（%1 秒内无响应）</translation>
    </message>
    <message>
        <source>accepted it (echoed)</source>
        <translation>接受了（已回显）</translation>
    </message>
    <message>
        <source>ignored it (no Close in %1 s)</source>
        <translation>忽略了（%1 秒内无 Close）</translation>
    </message>
    <message>
        <source>echoed it (no Close in %1 s)</source>
        <translation>回显了（%1 秒内无 Close）</translation>
    </message>
    <message>
        <source>no Close reply in %1 s</source>
        <translation>%1 秒内没有回复 Close</translation>
    </message>
    <message>
        <source>no answer in %1 s</source>
        <translation>%1 秒内无应答</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>%1 cases: %2 pass, %3 lenient, %4 FAIL</source>
        <translation>%1 个用例：%2 通过，%3 宽松，%4 失败</translation>
    </message>
    <message>
        <source>, %1 skipped</source>
        <translation>，%1 跳过</translation>
    </message>
    <message>
        <source>echoed all %1</source>
        <translation>全部 %1 条已回显</translation>
    </message>
    <message>
        <source>declined permessage-deflate</source>
        <translation>拒绝了 permessage-deflate</translation>
    </message>
    <message>
        <source>set RSV1 without permessage-deflate agreed</source>
        <translation>未协商 permessage-deflate 却设置了 RSV1</translation>
    </message>
    <message>
        <source>sent a message that does not inflate (%1)</source>
        <translation>发送了无法解压的消息（%1）</translation>
    </message>
</context>
<context>
    <name>wst::ServerCheckDialog</name>
    <message>
        <source>&apos;%1&apos; is not a ws:// or wss:// URL.</source>
        <translation>“%1”不是 ws:// 或 wss:// URL。</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>Server conformance check</source>
        <translation>服务器一致性检查</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <source>The echo server to check (ws:// or wss://): every case opens its own connection</source>
        <translation>要检查的回显服务器（ws:// 或 wss://）：每个用例各自建立连接</translation>
    </message>
    <message>
        <source>Run check</source>
        <translation>运行检查</translation>
    </message>
    <message>
        <source>Send the cases (modelled on the Autobahn test suite) and judge each answer against RFC 6455</source>
        <translation>发送各用例（参照 Autobahn 测试套件）并依据 RFC 6455 判定每个应答</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Check results</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>One row per case: what was sent, what the server did, and what RFC 6455 requires</source>
        <translation>每个用例一行：发送了什么、服务器做了什么、RFC 6455 的要求</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>用例</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送内容</translation>
    </message>
    <message>
        <source>The server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>RFC 6455 requires</source>
        <translation>RFC 6455 要求</translation>
    </message>
</context>
<context>
    <name>wst::ServerControlBar</name>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>The address to listen on: 127.0.0.1 is this machine only; 0.0.0.0 and :: let other machines connect</source>
        <translation>要监听的地址：127.0.0.1 仅限本机；0.0.0.0 和 :: 允许其他机器连接</translation>
    </message>
    <message>
        <source>This machine only (IPv4)</source>
        <translation>仅本机（IPv4）</translation>
    </message>
    <message>
        <source>This machine only (IPv6)</source>
        <translation>仅本机（IPv6）</translation>
    </message>
    <message>
        <source>Every IPv4 interface: other machines can connect</source>
        <translation>所有 IPv4 接口：其他机器可以连接</translation>
    </message>
    <message>
        <source>Every IPv6 interface: other machines can connect</source>
        <translation>所有 IPv6 接口：其他机器可以连接</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>The port to listen on; 0 picks a free one</source>
        <translation>要监听的端口；0 表示自动选择空闲端口</translation>
    </message>
    <message>
        <source>any free</source>
        <translation>自动分配</translation>
    </message>
    <message>
        <source>Behaviour</source>
        <translation>行为</translation>
    </message>
    <message>
        <source>What the server does with each message it receives</source>
        <translation>服务器如何处理收到的每条消息</translation>
    </message>
    <message>
        <source>Echo</source>
        <translation>回显</translation>
    </message>
    <message>
        <source>Send each message back to its sender</source>
        <translation>将每条消息发回给发送者</translation>
    </message>
    <message>
        <source>Broadcast to all</source>
        <translation>广播给所有客户端</translation>
    </message>
    <message>
        <source>Send each message to every client, the sender too</source>
        <translation>将每条消息发送给所有客户端，包括发送者</translation>
    </message>
    <message>
        <source>Broadcast to others</source>
        <translation>广播给其他客户端</translation>
    </message>
    <message>
        <source>Send each message to every client except its sender</source>
        <translation>将每条消息发送给除发送者之外的所有客户端</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Send nothing by itself: you send from this tab</source>
        <translation>不自动发送任何内容：由你在此标签页中发送</translation>
    </message>
    <message>
        <source>Reply rules</source>
        <translation>回复规则</translation>
    </message>
    <message>
        <source>Answer with the first reply rule that matches the message</source>
        <translation>使用第一条与消息匹配的回复规则进行应答</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>启动(&amp;S)</translation>
    </message>
    <message>
        <source>Start server</source>
        <translation>启动服务器</translation>
    </message>
    <message>
        <source>Start listening with these settings</source>
        <translation>使用这些设置开始监听</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>停止(&amp;O)</translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation>停止服务器</translation>
    </message>
    <message>
        <source>Close every client with 1001 (going away) and stop listening</source>
        <translation>以 1001（端点离开）关闭所有客户端并停止监听</translation>
    </message>
    <message>
        <source>Server settings</source>
        <translation>服务器设置</translation>
    </message>
    <message>
        <source>Show or hide the settings: TLS, greeting, periodic push, subprotocols, origins, limits, reply rules</source>
        <translation>显示或隐藏设置：TLS、欢迎消息、定时推送、子协议、Origin、限制、回复规则</translation>
    </message>
    <message>
        <source>Setti&amp;ngs</source>
        <translation>设置(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Behaviour:</source>
        <translation>行为(&amp;B)：</translation>
    </message>
    <message>
        <source>Server state</source>
        <translation>服务器状态</translation>
    </message>
    <message>
        <source>The state of the server</source>
        <translation>服务器的状态</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <source>The URL clients connect to</source>
        <translation>客户端要连接的 URL</translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation>复制 URL</translation>
    </message>
    <message>
        <source>Copy the server&apos;s URL to the clipboard</source>
        <translation>将服务器的 URL 复制到剪贴板</translation>
    </message>
    <message>
        <source>Copy &amp;URL</source>
        <translation>复制 &amp;URL</translation>
    </message>
    <message>
        <source>Open client &amp;tab</source>
        <translation>打开客户端标签页(&amp;T)</translation>
    </message>
    <message>
        <source>Open client tab</source>
        <translation>打开客户端标签页</translation>
    </message>
    <message>
        <source>Open a client tab connected to this server</source>
        <translation>打开一个连接到此服务器的客户端标签页</translation>
    </message>
    <message>
        <source>“%1” is not an IP address: use 127.0.0.1, 0.0.0.0, :: or an address of this machine.</source>
        <translation>“%1”不是 IP 地址：请使用 127.0.0.1、0.0.0.0、:: 或本机的某个地址。</translation>
    </message>
    <message>
        <source>Other machines on your network can connect to a server on %1. Use 127.0.0.1 to keep it on this machine.</source>
        <translation>你网络中的其他机器可以连接到 %1 上的服务器。使用 127.0.0.1 可将其限制在本机。</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>wst::ServerFaults</name>
    <message>
        <source>Faults on: %1 (seed %2).</source>
        <translation>故障已启用：%1（种子 %2）。</translation>
    </message>
    <message>
        <source>fault: refused handshake %1 of %2</source>
        <translation>故障：已拒绝第 %1 次握手（共 %2 次）</translation>
    </message>
    <message>
        <source>after %1 ms</source>
        <translation>%1 毫秒后</translation>
    </message>
    <message>
        <source>on connect</source>
        <translation>连接时</translation>
    </message>
    <message>
        <source>Fault: dropped message %1 (%2 bytes), not sent.</source>
        <translation>故障：丢弃了第 %1 条消息（%2 字节），未发送。</translation>
    </message>
    <message>
        <source>Fault: delayed message %1 by %2 ms.</source>
        <translation>故障：第 %1 条消息延迟了 %2 毫秒。</translation>
    </message>
    <message>
        <source>invalid UTF-8</source>
        <translation>无效 UTF-8</translation>
    </message>
    <message>
        <source>reserved opcode 3</source>
        <translation>保留操作码 3</translation>
    </message>
    <message>
        <source>RSV1-3 set</source>
        <translation>设置了 RSV1-3</translation>
    </message>
    <message>
        <source>Fault: message %1 sent as a broken frame (%2).</source>
        <translation>故障：第 %1 条消息以损坏的帧发送（%2）。</translation>
    </message>
    <message>
        <source>Fault: message %1 sent in %2 frames.</source>
        <translation>故障：第 %1 条消息分 %2 帧发送。</translation>
    </message>
    <message>
        <source>Fault: dropped the connection without a Close %1.</source>
        <translation>故障：%1断开了连接，未发送 Close。</translation>
    </message>
    <message>
        <source>Fault: closed with %1 %2.</source>
        <translation>故障：%2以 %1 关闭。</translation>
    </message>
    <message>
        <source>Fault: stopped reading from this client %1.</source>
        <translation>故障：%1停止读取此客户端的数据。</translation>
    </message>
</context>
<context>
    <name>wst::ServerSettingsWidget</name>
    <message>
        <source>Server settings</source>
        <translation>服务器设置</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>&amp;Secure (wss://)</source>
        <translation>安全连接（wss://）(&amp;S)</translation>
    </message>
    <message>
        <source>Secure server (wss)</source>
        <translation>安全服务器（wss）</translation>
    </message>
    <message>
        <source>Serve wss:// with a PEM certificate and an unencrypted PEM key</source>
        <translation>使用 PEM 证书和未加密的 PEM 密钥提供 wss:// 服务</translation>
    </message>
    <message>
        <source>Certificate file</source>
        <translation>证书文件</translation>
    </message>
    <message>
        <source>The server certificate (PEM), optionally followed by its chain</source>
        <translation>服务器证书（PEM），可在其后附带证书链</translation>
    </message>
    <message>
        <source>cert.pem</source>
        <translation>cert.pem</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Choose certificate file</source>
        <translation>选择证书文件</translation>
    </message>
    <message>
        <source>Choose the certificate file</source>
        <translation>选择证书文件</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>密钥文件</translation>
    </message>
    <message>
        <source>The certificate&apos;s private key (PEM, RSA or EC, not encrypted)</source>
        <translation>证书的私钥（PEM，RSA 或 EC，未加密）</translation>
    </message>
    <message>
        <source>key.pem</source>
        <translation>key.pem</translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation>浏览(&amp;W)…</translation>
    </message>
    <message>
        <source>Choose key file</source>
        <translation>选择密钥文件</translation>
    </message>
    <message>
        <source>Choose the key file</source>
        <translation>选择密钥文件</translation>
    </message>
    <message>
        <source>A localhost pair: openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1</source>
        <translation>生成 localhost 证书对：openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1</translation>
    </message>
    <message>
        <source>&amp;Certificate:</source>
        <translation>证书(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Sent by the server</source>
        <translation>由服务器发送</translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation>欢迎消息</translation>
    </message>
    <message>
        <source>Sent to each client when it connects; {{client}} and {{time}} are filled in. Empty: none.</source>
        <translation>在每个客户端连接时发送给它；{{client}} 和 {{time}} 会被自动填入。留空：不发送。</translation>
    </message>
    <message>
        <source>none, e.g. welcome, client {{client}}</source>
        <translation>无，例如 welcome, client {{client}}</translation>
    </message>
    <message>
        <source>Periodic push interval</source>
        <translation>定时推送间隔</translation>
    </message>
    <message>
        <source>Every so many milliseconds, send the push text to every client (at least 10 ms; 0: off)</source>
        <translation>每隔多少毫秒向所有客户端发送推送文本（至少 10 毫秒；0：关闭）</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Periodic push text</source>
        <translation>定时推送文本</translation>
    </message>
    <message>
        <source>What the periodic push sends; {{client}} and {{time}} are filled in</source>
        <translation>定时推送发送的内容；{{client}} 和 {{time}} 会被自动填入</translation>
    </message>
    <message>
        <source>&amp;Greeting:</source>
        <translation>欢迎消息(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Push every:</source>
        <translation>推送间隔(&amp;P)：</translation>
    </message>
    <message>
        <source>Access and limits</source>
        <translation>访问与限制</translation>
    </message>
    <message>
        <source>Supported subprotocols</source>
        <translation>支持的子协议</translation>
    </message>
    <message>
        <source>Subprotocols the server accepts, in order of preference, separated by commas. Empty: none.</source>
        <translation>服务器接受的子协议，按优先顺序排列，以逗号分隔。留空：不支持任何子协议。</translation>
    </message>
    <message>
        <source>none, e.g. chat.v2, chat.v1</source>
        <translation>无，例如 chat.v2, chat.v1</translation>
    </message>
    <message>
        <source>Allowed origins</source>
        <translation>允许的 Origin</translation>
    </message>
    <message>
        <source>Origins allowed to connect, separated by commas; others get 403. Empty: any origin.</source>
        <translation>允许连接的 Origin，以逗号分隔；其他来源将收到 403。留空：允许任何 Origin。</translation>
    </message>
    <message>
        <source>any, e.g. http://localhost:3000</source>
        <translation>任意，例如 http://localhost:3000</translation>
    </message>
    <message>
        <source>Maximum clients</source>
        <translation>最大客户端数</translation>
    </message>
    <message>
        <source>How many clients may be connected at once; more get 503. 0: no limit.</source>
        <translation>同时可连接的客户端数量；超出的将收到 503。0：不限制。</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限制</translation>
    </message>
    <message>
        <source>Maximum message size</source>
        <translation>最大消息大小</translation>
    </message>
    <message>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <source>Max &amp;size:</source>
        <translation>最大大小(&amp;S)：</translation>
    </message>
    <message>
        <source>Sub&amp;protocols:</source>
        <translation>子协议(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Origins:</source>
        <translation>Origin(&amp;O)：</translation>
    </message>
    <message>
        <source>Max c&amp;lients:</source>
        <translation>最大客户端数(&amp;L)：</translation>
    </message>
    <message>
        <source>Reply rules</source>
        <translation>回复规则</translation>
    </message>
    <message>
        <source>Choose the server certificate (PEM)</source>
        <translation>选择服务器证书（PEM）</translation>
    </message>
    <message>
        <source>Choose the private key (PEM)</source>
        <translation>选择私钥（PEM）</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <source>wss:// needs a certificate file and a key file: choose them under TLS.</source>
        <translation>wss:// 需要证书文件和密钥文件：请在“TLS”下选择。</translation>
    </message>
    <message>
        <source>The reply-rules behaviour needs at least one rule: add one under Reply rules.</source>
        <translation>“回复规则”行为至少需要一条规则：请在“回复规则”下添加。</translation>
    </message>
    <message>
        <source>The largest message a client may send, in bytes; a larger one closes it with 1009. 0: no limit.</source>
        <translation>客户端可发送的最大消息（字节）；发送更大的消息时以 1009 关闭该客户端。0：不限制。</translation>
    </message>
    <message>
        <source>Maximum send buffer</source>
        <translation>最大发送缓冲区</translation>
    </message>
    <message>
        <source>The most bytes sent to one client and not yet taken by it; a client over it when more is sent is dropped (it is not reading). 0: no limit.</source>
        <translation>已发送给单个客户端但尚未被其接收的最大字节数；再次发送时超过此值的客户端将被断开（它没有在读取）。0：不限制。</translation>
    </message>
    <message>
        <source>Max &amp;queued:</source>
        <translation>最大排队字节(&amp;Q)：</translation>
    </message>
    <message>
        <source>The protocol settings must be a JSON object such as {&quot;mode&quot;: &quot;broadcast&quot;}: %1</source>
        <translation>协议设置必须是 JSON 对象，例如 {&quot;mode&quot;: &quot;broadcast&quot;}：%1</translation>
    </message>
    <message>
        <source>not an object</source>
        <translation>不是对象</translation>
    </message>
    <message>
        <source>Pro&amp;tocol:</source>
        <translation>协议(&amp;T)：</translation>
    </message>
    <message>
        <source>Server protocol</source>
        <translation>服务器协议</translation>
    </message>
    <message>
        <source>Raw: the behaviour answers. Socket.IO server, GraphQL mock, STOMP or MQTT broker: the protocol answers every client instead, and the behaviour is not used.</source>
        <translation>原始：由所选行为应答。Socket.IO 服务器、GraphQL 模拟服务器、STOMP 或 MQTT 代理：改由协议应答每个客户端，不再使用所选行为。</translation>
    </message>
    <message>
        <source>Protocol settings</source>
        <translation>协议设置</translation>
    </message>
    <message>
        <source>The protocol server&apos;s settings as a JSON object, e.g. {&quot;mode&quot;: &quot;broadcast&quot;} for Socket.IO or {&quot;count&quot;: 10} for the GraphQL mock. Empty: the defaults.</source>
        <translation>协议服务器的设置（JSON 对象），例如 Socket.IO 用 {&quot;mode&quot;: &quot;broadcast&quot;}，GraphQL 模拟服务器用 {&quot;count&quot;: 10}。留空：使用默认值。</translation>
    </message>
    <message>
        <source>defaults, e.g. {&quot;mode&quot;: &quot;broadcast&quot;}</source>
        <translation>默认值，例如 {&quot;mode&quot;: &quot;broadcast&quot;}</translation>
    </message>
    <message>
        <source>Compression (permessage-deflate)</source>
        <translation>压缩（permessage-deflate）</translation>
    </message>
    <message>
        <source>Agree to permessage-deflate when a client offers it, as browsers do (RFC 7692); each client&apos;s handshake shows what was agreed. Off: every client talks uncompressed.</source>
        <translation>客户端提供 permessage-deflate 时予以同意，与浏览器一致（RFC 7692）；每个客户端的握手会显示协商结果。关闭：所有客户端都不压缩通信。</translation>
    </message>
    <message>
        <source>Co&amp;mpression (permessage-deflate)</source>
        <translation>压缩(&amp;M)（permessage-deflate）</translation>
    </message>
</context>
<context>
    <name>wst::ServerShim</name>
    <message>
        <source>Cannot make a socket pair: %1</source>
        <translation>无法创建套接字对：%1</translation>
    </message>
    <message>
        <source>Cannot use a socket pair: %1</source>
        <translation>无法使用套接字对：%1</translation>
    </message>
</context>
<context>
    <name>wst::ServerTab</name>
    <message>
        <source>RTT %1 ms (client %2)</source>
        <translation>RTT %1 ms（客户端 %2）</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>&amp;Kick</source>
        <translation>踢出(&amp;K)</translation>
    </message>
    <message>
        <source>To e&amp;very client</source>
        <translation>发给所有客户端(&amp;V)</translation>
    </message>
    <message>
        <source>Send to every client</source>
        <translation>发送给所有客户端</translation>
    </message>
    <message>
        <source>Send to every connected client instead of the selected one</source>
        <translation>发送给所有已连接的客户端，而不是所选的客户端</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopping: closing every client with 1001</source>
        <translation>正在停止：以 1001 关闭所有客户端</translation>
    </message>
    <message>
        <source>Listening on</source>
        <translation>正在监听</translation>
    </message>
    <message numerus="yes">
        <source>Listening on %1 — %n client(s) connected</source>
        <translation>
            <numerusform>正在监听 %1 — 已连接 %n 个客户端</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>未监听</translation>
    </message>
    <message>
        <source>Error — %1</source>
        <translation>错误 — %1</translation>
    </message>
    <message>
        <source>Server :%1</source>
        <translation>服务器 :%1</translation>
    </message>
    <message>
        <source>P&amp;ing client %1</source>
        <translation>P&amp;ing 客户端 %1</translation>
    </message>
    <message>
        <source>P&amp;ing every client</source>
        <translation>P&amp;ing 所有客户端</translation>
    </message>
    <message>
        <source>&amp;Kick client %1</source>
        <translation>踢出客户端 %1(&amp;K)</translation>
    </message>
    <message>
        <source>Sen&amp;d to every client</source>
        <translation>发送给所有客户端(&amp;D)</translation>
    </message>
    <message>
        <source>Sen&amp;d to client %1</source>
        <translation>发送给客户端 %1(&amp;D)</translation>
    </message>
    <message>
        <source>waiting for the pong…</source>
        <translation>正在等待 Pong…</translation>
    </message>
    <message>
        <source>No client is connected</source>
        <translation>没有已连接的客户端</translation>
    </message>
    <message>
        <source>Client %1 is not connected</source>
        <translation>客户端 %1 未连接</translation>
    </message>
    <message>
        <source>Name of this tab (empty: use the server&apos;s port):</source>
        <translation>此标签页的名称（留空则使用服务器的端口）：</translation>
    </message>
    <message>
        <source>Use the Server&apos;s &amp;Port as Name</source>
        <translation>使用服务器的端口作为名称(&amp;P)</translation>
    </message>
    <message>
        <source>Port Taken</source>
        <translation>端口已被占用</translation>
    </message>
    <message>
        <source>Port %1, which this server had, is now used by another program. Start on another free port?

Tabs connected to this server will then need its new address.</source>
        <translation>此服务器原来使用的端口 %1 现在被另一个程序占用。要在另一个空闲端口上启动吗？

届时连接到此服务器的标签页需要使用它的新地址。</translation>
    </message>
</context>
<context>
    <name>wst::ServerWorker</name>
    <message>
        <source>The server is already running.</source>
        <translation>服务器已在运行。</translation>
    </message>
    <message>
        <source>A client failed the TLS handshake.</source>
        <translation>某个客户端的 TLS 握手失败。</translation>
    </message>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>无法在 %1 的端口 %2 上监听：%3</translation>
    </message>
    <message>
        <source>Listening on %1</source>
        <translation>正在监听 %1</translation>
    </message>
    <message>
        <source>The handshake request is over 16 KiB.</source>
        <translation>握手请求超过 16 KiB。</translation>
    </message>
    <message>
        <source>The request has no Origin header and only listed origins are allowed.</source>
        <translation>请求中没有 Origin 请求头，而服务器只允许列出的 Origin。</translation>
    </message>
    <message>
        <source>Origin %1 is not allowed.</source>
        <translation>不允许 Origin %1。</translation>
    </message>
    <message>
        <source>The server already has %1 clients, its maximum.</source>
        <translation>服务器已有 %1 个客户端，已达上限。</translation>
    </message>
    <message>
        <source>Not sent: client %1 is not connected.</source>
        <translation>未发送：客户端 %1 未连接。</translation>
    </message>
    <message>
        <source>Stopping: closing every client with 1001.</source>
        <translation>正在停止：以 1001 关闭所有客户端。</translation>
    </message>
    <message>
        <source>server stopping</source>
        <translation>服务器正在停止</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Refused %1:%2 (%3) with %4: %5</source>
        <translation>已拒绝 %1:%2（%3），返回 %4：%5</translation>
    </message>
    <message>
        <source>Dropped: %1 bytes sent to this client are still not taken, over the send buffer limit of %2 bytes (the client is not reading).</source>
        <translation>已断开：发送给此客户端的 %1 字节仍未被接收，超过了 %2 字节的发送缓冲区上限（客户端没有读取）。</translation>
    </message>
    <message>
        <source>dropped: send buffer full</source>
        <translation>已断开：发送缓冲区已满</translation>
    </message>
    <message>
        <source>Not sent: this server speaks raw WebSocket; start it with a protocol to send &quot;%1&quot;.</source>
        <translation>未发送：此服务器使用原始 WebSocket；要发送“%1”请以某个协议启动它。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; not sent: client %2 is not connected.</source>
        <translation>“%1”未发送：客户端 %2 未连接。</translation>
    </message>
    <message>
        <source>Left a ping of %1 bytes unanswered (fault: stop answering pings).</source>
        <translation>未回应一个 %1 字节的 ping（故障：停止回应 ping）。</translation>
    </message>
    <message>
        <source>Failed the client with %1: %2</source>
        <translation>以 %1 使客户端失败：%2</translation>
    </message>
</context>
<context>
    <name>wst::SessionController</name>
    <message>
        <source>Session File</source>
        <translation>会话文件</translation>
    </message>
    <message>
        <source>Untitled session</source>
        <translation>未命名会话</translation>
    </message>
    <message>
        <source>The folder %1 cannot be created: the session is not recorded.</source>
        <translation>无法创建文件夹 %1：不会记录会话。</translation>
    </message>
    <message>
        <source>Recovered after wstester was not closed properly.</source>
        <translation>已恢复：wstester 上次未正常关闭。</translation>
    </message>
    <message>
        <source>Reopened from %1.</source>
        <translation>已从 %1 重新打开。</translation>
    </message>
    <message>
        <source>Imported: the messages and headers of a recorded connection. Connect to open a live one; any message can be resent.</source>
        <translation>已导入：某个已记录连接的消息和请求头。连接即可建立实时连接；任何消息都可以重新发送。</translation>
    </message>
    <message>
        <source>Part of the history could not be read back.</source>
        <translation>部分历史记录无法读回。</translation>
    </message>
    <message>
        <source>Save Secrets?</source>
        <translation>保存机密信息？</translation>
    </message>
    <message>
        <source>This session holds secrets: Authorization or Cookie header values, a key passphrase or a proxy password. Save them in the file?

No: they are masked in the file and must be typed again after opening it.</source>
        <translation>此会话包含机密信息：Authorization 或 Cookie 请求头的值、密钥密码或代理密码。要将它们保存到文件中吗？

否：它们在文件中会被脱敏，打开文件后必须重新输入。</translation>
    </message>
    <message>
        <source>Save Session As</source>
        <translation>会话另存为</translation>
    </message>
    <message>
        <source>wstester sessions (*.wstsession);;All files (*)</source>
        <translation>wstester 会话 (*.wstsession);;所有文件 (*)</translation>
    </message>
    <message>
        <source>That is the live capture file itself; choose another name.</source>
        <translation>这是实时捕获文件本身；请选择其他名称。</translation>
    </message>
    <message>
        <source>This window records no session: %1 could not be written.</source>
        <translation>此窗口不记录会话：无法写入 %1。</translation>
    </message>
    <message>
        <source>Unsaved Session</source>
        <translation>未保存的会话</translation>
    </message>
    <message>
        <source>The session “%1” has messages that are not saved. Save them before closing?</source>
        <translation>会话“%1”中有未保存的消息。关闭前要保存吗？</translation>
    </message>
    <message>
        <source>Save Session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>The history&apos;s columns and highlight rules are not an object: skipped</source>
        <translation>历史记录的列和高亮规则不是对象：已跳过</translation>
    </message>
    <message>
        <source>Some of the history settings of the tab “%1” could not be restored:
%2</source>
        <translation>标签页“%1”的部分历史记录设置无法恢复：
%2</translation>
    </message>
</context>
<context>
    <name>wst::SessionEnvironment</name>
    <message>
        <source>Written as {{%1}} in a message</source>
        <translation>在消息中写作 {{%1}}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>The variable in row %1 has no name.</source>
        <translation>第 %1 行的变量没有名称。</translation>
    </message>
    <message>
        <source>“%1” is not a valid name: use letters, digits, _ . and -, starting with a letter or _.</source>
        <translation>“%1”不是有效的名称：请使用字母、数字、_、. 和 -，并以字母或 _ 开头。</translation>
    </message>
    <message>
        <source>{{%1}} is built in and cannot be redefined.</source>
        <translation>{{%1}} 是内置变量，不能重新定义。</translation>
    </message>
    <message>
        <source>{{%1}} is defined twice: the first one is used.</source>
        <translation>{{%1}} 被定义了两次：使用第一个定义。</translation>
    </message>
</context>
<context>
    <name>wst::SessionFileActions</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>No recent sessions</source>
        <translation>没有最近的会话</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>清除菜单(&amp;C)</translation>
    </message>
    <message>
        <source>Open Session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>wstester sessions (*.wstsession);;All files (*)</source>
        <translation>wstester 会话 (*.wstsession);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>Save Session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Import HAR</source>
        <translation>导入 HAR</translation>
    </message>
    <message>
        <source>HAR files (*.har *.json);;All files (*)</source>
        <translation>HAR 文件 (*.har *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Exported to %1, secrets masked</source>
        <translation>已导出到 %1，机密信息已遮盖</translation>
    </message>
</context>
<context>
    <name>wst::SessionHistory</name>
    <message>
        <source>The file %1 cannot be opened: %2</source>
        <translation>无法打开文件 %1：%2</translation>
    </message>
    <message>
        <source>The file %1 cannot be read: %2</source>
        <translation>无法读取文件 %1：%2</translation>
    </message>
    <message>
        <source>The file %1 is damaged: %2</source>
        <translation>文件 %1 已损坏：%2</translation>
    </message>
    <message>
        <source>The file %1 is damaged after %2 messages: %3</source>
        <translation>文件 %1 在 %2 条消息之后已损坏：%3</translation>
    </message>
</context>
<context>
    <name>wst::SessionRecorder</name>
    <message>
        <source>The session %1 is in use by another wstester.</source>
        <translation>会话 %1 正被另一个 wstester 使用。</translation>
    </message>
    <message>
        <source>No session is open.</source>
        <translation>没有打开的会话。</translation>
    </message>
    <message>
        <source>the reason is unknown</source>
        <translation>原因未知</translation>
    </message>
    <message>
        <source>The session %1 cannot be recorded: its lock file cannot be written (%2).</source>
        <translation>无法录制会话 %1：无法写入其锁文件（%2）。</translation>
    </message>
</context>
<context>
    <name>wst::SessionWriter</name>
    <message>
        <source>Writing the session file failed: %1. The capture goes on in memory; wstester keeps trying.</source>
        <translation>写入会话文件失败：%1。捕获仍在内存中继续；wstester 会不断重试。</translation>
    </message>
</context>
<context>
    <name>wst::ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Window shortcuts work in any tab; the others where the list says.</source>
        <translation>窗口快捷键在任何标签页中都可用；其他快捷键在列表所示的位置可用。</translation>
    </message>
    <message>
        <source>Every keyboard shortcut: what it does, its keys and where it works</source>
        <translation>所有键盘快捷键：作用、按键以及可用位置</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close this list</source>
        <translation>关闭此列表</translation>
    </message>
</context>
<context>
    <name>wst::SingleInstance</name>
    <message>
        <source>Cannot listen for other launches on %1: %2</source>
        <translation>无法在 %1 上监听其他启动请求：%2</translation>
    </message>
    <message>
        <source>the request is not a JSON array of strings</source>
        <translation>请求不是由字符串组成的 JSON 数组</translation>
    </message>
</context>
<context>
    <name>wst::SocketIoClient</name>
    <message>
        <source>Engine.IO: the server closed the session.</source>
        <translation>Engine.IO：服务器关闭了会话。</translation>
    </message>
    <message>
        <source>Engine.IO: the open packet is not a JSON object.</source>
        <translation>Engine.IO：open 数据包不是 JSON 对象。</translation>
    </message>
    <message>
        <source>Socket.IO: the server refused namespace %1: %2</source>
        <translation>Socket.IO：服务器拒绝了命名空间 %1：%2</translation>
    </message>
    <message>
        <source>Socket.IO: the server disconnected namespace %1.</source>
        <translation>Socket.IO：服务器断开了命名空间 %1。</translation>
    </message>
    <message>
        <source>Socket.IO: an ack #%1 that nothing waits for.</source>
        <translation>Socket.IO：收到无人等待的确认 #%1。</translation>
    </message>
    <message numerus="yes">
        <source>Socket.IO: event &quot;%1&quot; with %n binary attachment(s): %2</source>
        <translation>
            <numerusform>Socket.IO：事件“%1”带有 %n 个二进制附件：%2</numerusform>
        </translation>
    </message>
    <message>
        <source>Socket.IO can only emit events; &quot;%1&quot; is not a Socket.IO command.</source>
        <translation>Socket.IO 只能发送事件；“%1”不是 Socket.IO 命令。</translation>
    </message>
    <message>
        <source>Socket.IO: give the event a name.</source>
        <translation>Socket.IO：请填写事件名称。</translation>
    </message>
    <message>
        <source>Socket.IO: &quot;%1&quot; is a reserved event name; the server would reject it.</source>
        <translation>Socket.IO：“%1”是保留的事件名称，服务器会拒绝它。</translation>
    </message>
    <message>
        <source>Engine.IO: no open packet within %1 s: is this a Socket.IO server, and is the path right?</source>
        <translation>Engine.IO：%1 秒内未收到 open 数据包：这是 Socket.IO 服务器吗？路径是否正确？</translation>
    </message>
    <message>
        <source>Engine.IO: no ping from the server for %1 ms (pingInterval + pingTimeout): it may be gone.</source>
        <translation>Engine.IO：服务器已 %1 毫秒（pingInterval + pingTimeout）未发送 ping：它可能已断开。</translation>
    </message>
    <message>
        <source>Engine.IO: no pong from the server within pingTimeout (%1 ms).</source>
        <translation>Engine.IO：服务器未在 pingTimeout（%1 毫秒）内回复 pong。</translation>
    </message>
</context>
<context>
    <name>wst::SocketIoComposer</name>
    <message>
        <source>&amp;Event:</source>
        <translation>事件(&amp;E)：</translation>
    </message>
    <message>
        <source>Event name</source>
        <translation>事件名称</translation>
    </message>
    <message>
        <source>The name of the Socket.IO event to emit</source>
        <translation>要发送的 Socket.IO 事件名称</translation>
    </message>
    <message>
        <source>&amp;Args:</source>
        <translation>参数(&amp;A)：</translation>
    </message>
    <message>
        <source>Event arguments</source>
        <translation>事件参数</translation>
    </message>
    <message>
        <source>One JSON value per line, or one JSON array holding all the arguments (to send a single array, wrap it: [[1, 2]])</source>
        <translation>每行一个 JSON 值，或用一个 JSON 数组包含全部参数（若只发送一个数组参数，请再包一层：[[1, 2]]）</translation>
    </message>
    <message>
        <source>Expect &amp;ack</source>
        <translation>等待确认(&amp;A)</translation>
    </message>
    <message>
        <source>Ask the server to acknowledge the event; its reply and round-trip time are shown below</source>
        <translation>请求服务器确认该事件；其回复和往返时间显示在下方</translation>
    </message>
    <message>
        <source>&amp;Emit</source>
        <translation>发送(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Emit (queued until connected)</source>
        <translation>发送(&amp;E)（连接后发出）</translation>
    </message>
    <message>
        <source>Emit the event</source>
        <translation>发送事件</translation>
    </message>
    <message>
        <source>Last acknowledgement</source>
        <translation>最近一次确认</translation>
    </message>
    <message>
        <source>Args line %1 is not JSON (a text needs quotes: &quot;hi&quot;): %2</source>
        <translation>参数第 %1 行不是 JSON（文本需要加引号：&quot;hi&quot;）：%2</translation>
    </message>
    <message>
        <source>Give the event a name.</source>
        <translation>请填写事件名称。</translation>
    </message>
    <message>
        <source>Waiting for the ack of &quot;%1&quot;…</source>
        <translation>正在等待“%1”的确认…</translation>
    </message>
    <message>
        <source>Ack #%1 for &quot;%2&quot; after %3 ms: %4</source>
        <translation>“%2”的确认 #%1，用时 %3 毫秒：%4</translation>
    </message>
</context>
<context>
    <name>wst::SocketIoServer</name>
    <message>
        <source>Socket.IO: a binary message that no BINARY packet announced.</source>
        <translation>Socket.IO：收到一条没有 BINARY 数据包预告的二进制消息。</translation>
    </message>
    <message>
        <source>Socket.IO: joined namespace %1.</source>
        <translation>Socket.IO：已加入命名空间 %1。</translation>
    </message>
    <message>
        <source>Socket.IO: joined namespace %1 with auth %2.</source>
        <translation>Socket.IO：已使用认证 %2 加入命名空间 %1。</translation>
    </message>
    <message>
        <source>Socket.IO: a client may not send CONNECT_ERROR.</source>
        <translation>Socket.IO：客户端不能发送 CONNECT_ERROR。</translation>
    </message>
    <message>
        <source>Socket.IO: a packet for namespace %1 before its CONNECT; ignored.</source>
        <translation>Socket.IO：在 CONNECT 之前收到命名空间 %1 的数据包，已忽略。</translation>
    </message>
    <message>
        <source>Socket.IO: an ack #%1 that nothing waits for.</source>
        <translation>Socket.IO：收到无人等待的确认 #%1。</translation>
    </message>
    <message>
        <source>Socket.IO: ack #%1 for &quot;%2&quot; after %3 ms: %4</source>
        <translation>Socket.IO：“%2”的确认 #%1，用时 %3 毫秒：%4</translation>
    </message>
    <message>
        <source>Socket.IO can only emit events; &quot;%1&quot; is not a Socket.IO command.</source>
        <translation>Socket.IO 只能发送事件；“%1”不是 Socket.IO 命令。</translation>
    </message>
    <message>
        <source>Socket.IO: give the event a name.</source>
        <translation>Socket.IO：请填写事件名称。</translation>
    </message>
    <message>
        <source>Socket.IO: no client is connected to namespace %1.</source>
        <translation>Socket.IO：没有客户端连接到命名空间 %1。</translation>
    </message>
    <message>
        <source>Socket.IO: that client is not connected to namespace %1.</source>
        <translation>Socket.IO：该客户端未连接到命名空间 %1。</translation>
    </message>
    <message>
        <source>Engine.IO: no pong within pingTimeout (%1 ms); closing the client.</source>
        <translation>Engine.IO：未在 pingTimeout（%1 毫秒）内收到 pong；正在关闭该客户端。</translation>
    </message>
</context>
<context>
    <name>wst::SocketIoSettingsEditor</name>
    <message>
        <source>&amp;Namespace:</source>
        <translation>命名空间(&amp;N)：</translation>
    </message>
    <message>
        <source>Socket.IO namespace</source>
        <translation>Socket.IO 命名空间</translation>
    </message>
    <message>
        <source>The namespace to connect to, e.g. /admin (default /)</source>
        <translation>要连接的命名空间，例如 /admin（默认 /）</translation>
    </message>
    <message>
        <source>&amp;Auth:</source>
        <translation>认证(&amp;A)：</translation>
    </message>
    <message>
        <source>Socket.IO auth payload</source>
        <translation>Socket.IO 认证数据</translation>
    </message>
    <message>
        <source>A JSON object sent in the namespace CONNECT packet (Socket.IO v3/v4)</source>
        <translation>在命名空间 CONNECT 包中发送的 JSON 对象（Socket.IO v3/v4）</translation>
    </message>
    <message>
        <source>&amp;Version:</source>
        <translation>版本(&amp;V)：</translation>
    </message>
    <message>
        <source>Socket.IO v3/v4 (Engine.IO 4)</source>
        <translation>Socket.IO v3/v4（Engine.IO 4）</translation>
    </message>
    <message>
        <source>Socket.IO v2 (Engine.IO 3)</source>
        <translation>Socket.IO v2（Engine.IO 3）</translation>
    </message>
    <message>
        <source>Socket.IO version</source>
        <translation>Socket.IO 版本</translation>
    </message>
    <message>
        <source>The Engine.IO protocol revision the server speaks</source>
        <translation>服务器使用的 Engine.IO 协议版本</translation>
    </message>
    <message>
        <source>The namespace must start with &quot;/&quot;.</source>
        <translation>命名空间必须以“/”开头。</translation>
    </message>
    <message>
        <source>Auth must be a JSON object, e.g. {&quot;token&quot;: &quot;abc&quot;}.</source>
        <translation>认证数据必须是 JSON 对象，例如 {&quot;token&quot;: &quot;abc&quot;}。</translation>
    </message>
</context>
<context>
    <name>wst::StatisticsDialog</name>
    <message>
        <source>Not a JSON path: %1. Try $.type or $.data.symbol.</source>
        <translation>不是 JSON 路径：%1。可试试 $.type 或 $.data.symbol。</translation>
    </message>
    <message>
        <source>The tab of these statistics is closed.</source>
        <translation>这些统计所属的标签页已关闭。</translation>
    </message>
    <message>
        <source>No messages yet in %1.</source>
        <translation>%1 中还没有消息。</translation>
    </message>
    <message numerus="yes">
        <source>%1: %Ln rows from %2 to %3.</source>
        <translation>
            <numerusform>%1：%Ln 行，从 %2 到 %3。</numerusform>
        </translation>
    </message>
    <message>
        <source>Still reading: %L1 of %L2 rows.</source>
        <translation>仍在读取：%L2 行中的 %L1 行。</translation>
    </message>
    <message>
        <source>Type a JSON path to count its values in the text messages.</source>
        <translation>输入一个 JSON 路径，统计它在文本消息中的值。</translation>
    </message>
    <message>
        <source>No message has a value at %1 yet.</source>
        <translation>还没有消息在 %1 处有值。</translation>
    </message>
    <message>
        <source>%L1 messages with a value at %2 read (when messages arrive faster than they can be read, a sample of them).</source>
        <translation>已读取 %L1 条在 %2 处有值的消息（当消息到达速度超过读取速度时，为抽样）。</translation>
    </message>
    <message>
        <source>%L1 values not counted: too many distinct values.</source>
        <translation>%L1 个值未计入：不同的值太多。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Statistics — %1</source>
        <translation>统计 — %1</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Received bytes</source>
        <translation>接收字节</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Sent bytes</source>
        <translation>发送字节</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Messages and bytes by kind</source>
        <translation>按类型的消息数和字节数</translation>
    </message>
    <message>
        <source>Messages and bytes by kind and direction, since the tab began</source>
        <translation>自标签页开始以来，按类型和方向的消息数和字节数</translation>
    </message>
    <message>
        <source>Message sizes (text and binary)</source>
        <translation>消息大小（文本和二进制）</translation>
    </message>
    <message>
        <source>Time between messages</source>
        <translation>消息间隔时间</translation>
    </message>
    <message>
        <source>Message size histogram</source>
        <translation>消息大小直方图</translation>
    </message>
    <message>
        <source>How many messages of each size: each bar counts sizes from its label up to the next</source>
        <translation>各大小的消息数量：每根柱子统计从其标签到下一个标签之间的大小</translation>
    </message>
    <message>
        <source>Inter-arrival time histogram</source>
        <translation>到达间隔时间直方图</translation>
    </message>
    <message>
        <source>How long each message came after the one before it in the same direction: each bar counts times from its label up to the next</source>
        <translation>每条消息与同方向上一条消息之间相隔多久：每根柱子统计从其标签到下一个标签之间的时间</translation>
    </message>
    <message>
        <source>&amp;Top values of:</source>
        <translation>最常见的值(&amp;T)：</translation>
    </message>
    <message>
        <source>a JSON path, e.g. $.type</source>
        <translation>一个 JSON 路径，例如 $.type</translation>
    </message>
    <message>
        <source>JSON path for top values</source>
        <translation>用于统计最常见值的 JSON 路径</translation>
    </message>
    <message>
        <source>A JSON path into the text messages; the most frequent values there are listed (press Enter)</source>
        <translation>指向文本消息内部的 JSON 路径；列出该处最常出现的值（按 Enter）</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Top values</source>
        <translation>最常见的值</translation>
    </message>
    <message>
        <source>The most frequent values of the JSON path, with how often they were seen</source>
        <translation>该 JSON 路径最常出现的值及其出现次数</translation>
    </message>
    <message>
        <source>&amp;Live</source>
        <translation>实时(&amp;L)</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Update the figures as messages arrive; off, they change only on Refresh</source>
        <translation>消息到达时更新数据；关闭后只在“刷新”时变化</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the messages that arrived since the last update and show the figures</source>
        <translation>读取自上次更新以来到达的消息并显示数据</translation>
    </message>
    <message>
        <source>&amp;Copy as Text</source>
        <translation>复制为文本(&amp;C)</translation>
    </message>
    <message>
        <source>Copy as text</source>
        <translation>复制为文本</translation>
    </message>
    <message>
        <source>Copy every figure of this dialog to the clipboard as tab-separated text</source>
        <translation>把此对话框中的所有数据以制表符分隔的文本复制到剪贴板</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the statistics</source>
        <translation>关闭统计</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Top values note</source>
        <translation>最常见值说明</translation>
    </message>
</context>
<context>
    <name>wst::StompClient</name>
    <message>
        <source>the connection closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <source>every %1 ms</source>
        <translation>每 %1 毫秒</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>heart-beats sent</source>
        <translation>发送心跳</translation>
    </message>
    <message>
        <source>heart-beats expected</source>
        <translation>期望心跳</translation>
    </message>
    <message>
        <source>in answer to</source>
        <translation>回应</translation>
    </message>
    <message>
        <source>STOMP: no heart-beat from the server for %1 ms (negotiated: every %2 ms)</source>
        <translation>STOMP：服务器已 %1 毫秒没有心跳（协商值：每 %2 毫秒）</translation>
    </message>
    <message>
        <source>STOMP cannot do &quot;%1&quot; (it can: %2).</source>
        <translation>STOMP 不能执行 &quot;%1&quot;（可执行：%2）。</translation>
    </message>
    <message>
        <source>STOMP %1 needs a destination.</source>
        <translation>STOMP %1 需要目的地。</translation>
    </message>
    <message>
        <source>STOMP %1 needs the id of the message (its ack header).</source>
        <translation>STOMP %1 需要消息的 id（其 ack 头）。</translation>
    </message>
    <message>
        <source>STOMP %1 needs a transaction id.</source>
        <translation>STOMP %1 需要事务 id。</translation>
    </message>
    <message>
        <source>STOMP UNSUBSCRIBE needs the subscription id.</source>
        <translation>STOMP UNSUBSCRIBE 需要订阅 id。</translation>
    </message>
    <message>
        <source>STOMP ack mode &quot;%1&quot; is not auto, client or client-individual.</source>
        <translation>STOMP 确认模式 &quot;%1&quot; 不是 auto、client 或 client-individual。</translation>
    </message>
    <message>
        <source>A STOMP header has an empty name.</source>
        <translation>有一个 STOMP 头的名称为空。</translation>
    </message>
    <message>
        <source>STOMP: the connection is closed.</source>
        <translation>STOMP：连接已关闭。</translation>
    </message>
    <message>
        <source>STOMP: there is already a subscription &quot;%1&quot;.</source>
        <translation>STOMP：已存在订阅 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>STOMP: there is no subscription &quot;%1&quot;.</source>
        <translation>STOMP：没有订阅 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>unsubscribed</source>
        <translation>已取消订阅</translation>
    </message>
</context>
<context>
    <name>wst::StompComposer</name>
    <message>
        <source>Subscription id:</source>
        <translation>订阅 id：</translation>
    </message>
    <message>
        <source>The id of the new subscription; empty: sub-0, sub-1, ...</source>
        <translation>新订阅的 id；留空则为 sub-0、sub-1……</translation>
    </message>
    <message>
        <source>The id of the subscription to end</source>
        <translation>要结束的订阅的 id</translation>
    </message>
    <message>
        <source>Transaction:</source>
        <translation>事务：</translation>
    </message>
    <message>
        <source>The transaction id that BEGIN starts and COMMIT or ABORT ends</source>
        <translation>由 BEGIN 开始、COMMIT 或 ABORT 结束的事务 id</translation>
    </message>
    <message>
        <source>Message id:</source>
        <translation>消息 id：</translation>
    </message>
    <message>
        <source>The ack header of the MESSAGE to acknowledge (its message-id in STOMP 1.1)</source>
        <translation>要确认的 MESSAGE 的 ack 头（STOMP 1.1 中为其 message-id）</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Header line %1 is not &quot;Name: value&quot;: %2</source>
        <translation>第 %1 行头不是 &quot;名称: 值&quot; 格式：%2</translation>
    </message>
    <message>
        <source>RECEIPT %1 for %2 in %3 ms</source>
        <translation>%2 的回执 %1，用时 %3 毫秒</translation>
    </message>
    <message>
        <source>ERROR from the server: %1
%2</source>
        <translation>服务器返回 ERROR：%1
%2</translation>
    </message>
    <message>
        <source>Subscribed to %1 as %2</source>
        <translation>已订阅 %1，订阅 id 为 %2</translation>
    </message>
    <message>
        <source>STOMP frame</source>
        <translation>STOMP 帧</translation>
    </message>
    <message>
        <source>Frame</source>
        <translation>帧</translation>
    </message>
    <message>
        <source>The STOMP frame to send</source>
        <translation>要发送的 STOMP 帧</translation>
    </message>
    <message>
        <source>Frame:</source>
        <translation>帧：</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>目的地</translation>
    </message>
    <message>
        <source>Where SEND goes or what SUBSCRIBE listens to, e.g. /topic/chat or /queue/orders</source>
        <translation>SEND 发往或 SUBSCRIBE 监听的位置，例如 /topic/chat 或 /queue/orders</translation>
    </message>
    <message>
        <source>Destination:</source>
        <translation>目的地：</translation>
    </message>
    <message>
        <source>Ack mode</source>
        <translation>确认模式</translation>
    </message>
    <message>
        <source>auto: the server forgets a message once sent; client: ACK acknowledges it and every earlier one; client-individual: ACK acknowledges that message only</source>
        <translation>auto：服务器发出消息后即不再保留；client：ACK 确认该消息及之前的所有消息；client-individual：ACK 只确认该条消息</translation>
    </message>
    <message>
        <source>Ack mode:</source>
        <translation>确认模式：</translation>
    </message>
    <message>
        <source>In transaction</source>
        <translation>所在事务</translation>
    </message>
    <message>
        <source>Send or acknowledge inside this transaction (BEGIN it first); empty: at once</source>
        <translation>在此事务中发送或确认（先 BEGIN）；留空则立即执行</translation>
    </message>
    <message>
        <source>In transaction:</source>
        <translation>所在事务：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>头</translation>
    </message>
    <message>
        <source>Extra headers, one &quot;Name: value&quot; a line (content-type, persistent, priority, ...)</source>
        <translation>附加的头，每行一个 &quot;名称: 值&quot;（content-type、persistent、priority 等）</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>头：</translation>
    </message>
    <message>
        <source>Name: value</source>
        <translation>名称: 值</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>The SEND body; content-type is application/json when it parses as JSON, else text/plain, unless a header says otherwise</source>
        <translation>SEND 的正文；若能解析为 JSON，content-type 为 application/json，否则为 text/plain，除非头中另有指定</translation>
    </message>
    <message>
        <source>Body:</source>
        <translation>正文：</translation>
    </message>
    <message>
        <source>Request receipt</source>
        <translation>请求回执</translation>
    </message>
    <message>
        <source>Ask the server for a RECEIPT and show how long it took</source>
        <translation>向服务器请求 RECEIPT 并显示耗时</translation>
    </message>
    <message>
        <source>Send frame</source>
        <translation>发送帧</translation>
    </message>
    <message>
        <source>Queue frame</source>
        <translation>排队帧</translation>
    </message>
    <message>
        <source>Send this frame</source>
        <translation>发送此帧</translation>
    </message>
    <message>
        <source>Not connected yet: the frame is sent once STOMP is connected</source>
        <translation>尚未连接：STOMP 连接后将发送此帧</translation>
    </message>
</context>
<context>
    <name>wst::StompServer</name>
    <message>
        <source>STOMP: no heart-beat from the client for %1 ms (negotiated: every %2 ms); closing</source>
        <translation>STOMP：客户端已 %1 毫秒没有心跳（协商值：每 %2 毫秒）；正在关闭</translation>
    </message>
    <message>
        <source>The STOMP broker can only &quot;send&quot; (a MESSAGE to the subscribers of a destination).</source>
        <translation>STOMP 代理只能执行 &quot;send&quot;（向目的地的订阅者发送 MESSAGE）。</translation>
    </message>
    <message>
        <source>STOMP send needs a destination.</source>
        <translation>STOMP send 需要目的地。</translation>
    </message>
    <message>
        <source>There is no client %1.</source>
        <translation>没有客户端 %1。</translation>
    </message>
</context>
<context>
    <name>wst::StompSettingsEditor</name>
    <message>
        <source>STOMP settings</source>
        <translation>STOMP 设置</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>The login header of CONNECT; empty: none</source>
        <translation>CONNECT 的 login 头；留空则不发送</translation>
    </message>
    <message>
        <source>Login:</source>
        <translation>登录名：</translation>
    </message>
    <message>
        <source>Passcode</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The passcode header of CONNECT; empty: none</source>
        <translation>CONNECT 的 passcode 头；留空则不发送</translation>
    </message>
    <message>
        <source>Passcode:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Virtual host</source>
        <translation>虚拟主机</translation>
    </message>
    <message>
        <source>The host header of CONNECT (RabbitMQ&apos;s virtual host); empty: the URL&apos;s host</source>
        <translation>CONNECT 的 host 头（RabbitMQ 的虚拟主机）；留空则使用 URL 的主机</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>the URL&apos;s host</source>
        <translation>URL 的主机</translation>
    </message>
    <message>
        <source>Send heart-beats every</source>
        <translation>发送心跳间隔</translation>
    </message>
    <message>
        <source>How often this side can send heart-beats; the server may ask for a slower pace. 0: never</source>
        <translation>本端发送心跳的频率；服务器可能要求更慢。0：从不</translation>
    </message>
    <message>
        <source>Send heart-beats every:</source>
        <translation>发送心跳间隔：</translation>
    </message>
    <message>
        <source>Expect heart-beats every</source>
        <translation>期望心跳间隔</translation>
    </message>
    <message>
        <source>How often the server should send heart-beats; a server silent for twice as long is noted. 0: never</source>
        <translation>服务器应发送心跳的频率；服务器静默超过两倍时间时会记录。0：从不</translation>
    </message>
    <message>
        <source>Expect heart-beats every:</source>
        <translation>期望心跳间隔：</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>STOMP version</source>
        <translation>STOMP 版本</translation>
    </message>
    <message>
        <source>1.2 offers 1.2 and 1.1 (the server chooses); 1.1 offers 1.1 only</source>
        <translation>1.2 同时提供 1.2 和 1.1（由服务器选择）；1.1 只提供 1.1</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
</context>
<context>
    <name>wst::TestsPanel</name>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>New scenario</source>
        <translation>新建场景</translation>
    </message>
    <message>
        <source>Start a new scenario from a template</source>
        <translation>从模板新建场景</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <source>Open a scenario file (*.wstest.json)</source>
        <translation>打开场景文件（*.wstest.json）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save scenario</source>
        <translation>保存场景</translation>
    </message>
    <message>
        <source>Save the scenario (Ctrl+S in the editor)</source>
        <translation>保存场景（在编辑器中按 Ctrl+S）</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run scenario</source>
        <translation>运行场景</translation>
    </message>
    <message>
        <source>Run the scenario in new client tabs, with this window&apos;s variables</source>
        <translation>在新的客户端标签页中运行场景，使用本窗口的变量</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop run</source>
        <translation>停止运行</translation>
    </message>
    <message>
        <source>Stop the run: the current step fails and the rest are skipped</source>
        <translation>停止运行：当前步骤记为失败，其余步骤跳过</translation>
    </message>
    <message>
        <source>Scenario file name</source>
        <translation>场景文件名</translation>
    </message>
    <message>
        <source>Test summary</source>
        <translation>测试摘要</translation>
    </message>
    <message>
        <source>Test steps</source>
        <translation>测试步骤</translation>
    </message>
    <message>
        <source>Each step&apos;s result and time; click a step to select its message in the connection&apos;s history</source>
        <translation>每个步骤的结果和用时；单击步骤可在该连接的历史中选中其消息</translation>
    </message>
    <message>
        <source>Step details</source>
        <translation>步骤详情</translation>
    </message>
    <message>
        <source>What the selected step expected and what arrived</source>
        <translation>所选步骤的预期与实际收到的内容</translation>
    </message>
    <message>
        <source>Select a step to see what it expected and what arrived.</source>
        <translation>选择一个步骤，查看其预期与实际收到的内容。</translation>
    </message>
    <message>
        <source>untitled.wstest.json</source>
        <translation>未命名.wstest.json</translation>
    </message>
    <message>
        <source>Untitled scenario</source>
        <translation>未命名场景</translation>
    </message>
    <message>
        <source>Tests</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them?</source>
        <translation>%1 有未保存的更改。要保存吗？</translation>
    </message>
    <message>
        <source>Open Scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <source>Scenarios (*.wstest.json);;JSON files (*.json);;All files (*)</source>
        <translation>场景 (*.wstest.json);;JSON 文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>Save Scenario</source>
        <translation>保存场景</translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>Scenarios (*.wstest.json);;All files (*)</source>
        <translation>场景 (*.wstest.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 (modified)</source>
        <translation>%1（已修改）</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>Not run: the scenario has a mistake (see under the editor).</source>
        <translation>未运行：场景有错误（见编辑器下方）。</translation>
    </message>
    <message>
        <source>Not run: the scenario has no steps.</source>
        <translation>未运行：场景没有步骤。</translation>
    </message>
    <message>
        <source>Not run yet.</source>
        <translation>尚未运行。</translation>
    </message>
    <message>
        <source>Running step %1 of %2…</source>
        <translation>正在运行第 %1 步，共 %2 步…</translation>
    </message>
    <message>
        <source>%1 of 1 step passed in %2 s</source>
        <translation>1 个步骤中 %1 个通过，用时 %2 秒</translation>
    </message>
    <message>
        <source>%1 of %2 steps passed in %3 s</source>
        <translation>%2 个步骤中 %1 个通过，用时 %3 秒</translation>
    </message>
    <message>
        <source>A connection could not be made.</source>
        <translation>有连接无法建立。</translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation>步骤 %1：%2</translation>
    </message>
    <message>
        <source>Result: %1</source>
        <translation>结果：%1</translation>
    </message>
    <message>
        <source>Expected: %1</source>
        <translation>预期：%1</translation>
    </message>
    <message>
        <source>Actual: %1</source>
        <translation>实际：%1</translation>
    </message>
    <message>
        <source>Got: %1</source>
        <translation>收到：%1</translation>
    </message>
    <message>
        <source>Other messages received while it waited:</source>
        <translation>等待期间收到的其他消息：</translation>
    </message>
    <message>
        <source>Its message is no longer shown in the history of %1 (the tab was closed, the history cleared or filtered).</source>
        <translation>其消息已不在 %1 的历史中显示（标签页已关闭，或历史已清除或被过滤）。</translation>
    </message>
</context>
<context>
    <name>wst::TextLinesView</name>
    <message>
        <source>&amp;Copy Lines</source>
        <translation>复制行(&amp;C)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
</context>
<context>
    <name>wst::ThemeMenu</name>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Follow the &amp;Desktop</source>
        <translation>跟随桌面(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>Dar&amp;k</source>
        <translation>深色(&amp;K)</translation>
    </message>
    <message>
        <source>Theme: dark</source>
        <translation>主题：深色</translation>
    </message>
    <message>
        <source>Theme: light</source>
        <translation>主题：浅色</translation>
    </message>
    <message>
        <source>Theme: following the desktop, which prefers dark</source>
        <translation>主题：跟随桌面，当前桌面偏好深色</translation>
    </message>
    <message>
        <source>Theme: following the desktop, which prefers light</source>
        <translation>主题：跟随桌面，当前桌面偏好浅色</translation>
    </message>
</context>
<context>
    <name>wst::TlsErrorBanner</name>
    <message>
        <source>Certificate errors</source>
        <translation>证书错误</translation>
    </message>
    <message>
        <source>&amp;Ignore these errors for this connection</source>
        <translation>仅对此连接忽略这些错误(&amp;I)</translation>
    </message>
    <message>
        <source>Ignore these errors for this connection</source>
        <translation>仅对此连接忽略这些错误</translation>
    </message>
    <message>
        <source>Connect again, accepting exactly these certificate errors, for this connection only</source>
        <translation>重新连接，并仅对此连接接受上述证书错误</translation>
    </message>
    <message>
        <source>The server&apos;s certificate was not accepted:</source>
        <translation>服务器的证书未被接受：</translation>
    </message>
    <message>
        <source> (certificate: %1)</source>
        <translation>（证书：%1）</translation>
    </message>
</context>
<context>
    <name>wst::TlsOptionsWidget</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>TLS options</source>
        <translation>TLS 选项</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <source>A PEM file of CA certificates to trust besides the system&apos;s, for servers with a private or self-made CA</source>
        <translation>除系统 CA 之外额外信任的 CA 证书 PEM 文件，用于使用私有或自建 CA 的服务器</translation>
    </message>
    <message>
        <source>system CAs only</source>
        <translation>仅系统 CA</translation>
    </message>
    <message>
        <source>Choose CA file</source>
        <translation>选择 CA 文件</translation>
    </message>
    <message>
        <source>Choose the CA file (PEM)</source>
        <translation>选择 CA 文件（PEM）</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>客户端证书</translation>
    </message>
    <message>
        <source>For servers that ask for a client certificate (mutual TLS): a PEM certificate with its key file, or a PKCS#12 file (.p12, .pfx) that holds both</source>
        <translation>用于要求客户端证书的服务器（双向 TLS）：PEM 证书及其密钥文件，或同时包含两者的 PKCS#12 文件（.p12、.pfx）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Choose client certificate</source>
        <translation>选择客户端证书</translation>
    </message>
    <message>
        <source>Choose the client certificate (PEM, .p12 or .pfx)</source>
        <translation>选择客户端证书（PEM、.p12 或 .pfx）</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>客户端密钥</translation>
    </message>
    <message>
        <source>The private key of the client certificate (PEM, RSA or EC)</source>
        <translation>客户端证书的私钥（PEM，RSA 或 EC）</translation>
    </message>
    <message>
        <source>Choose client key</source>
        <translation>选择客户端密钥</translation>
    </message>
    <message>
        <source>Choose the private key of the client certificate (PEM)</source>
        <translation>选择客户端证书的私钥（PEM）</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The passphrase of an encrypted key or of the PKCS#12 file; empty when there is none</source>
        <translation>加密密钥或 PKCS#12 文件的密码；没有密码时留空</translation>
    </message>
    <message>
        <source>Minimum TLS version</source>
        <translation>最低 TLS 版本</translation>
    </message>
    <message>
        <source>Refuse servers that cannot speak at least this TLS version</source>
        <translation>拒绝不支持此 TLS 版本或更高版本的服务器</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>TLS 1.2 or later</source>
        <translation>TLS 1.2 或更高</translation>
    </message>
    <message>
        <source>TLS 1.3 or later</source>
        <translation>TLS 1.3 或更高</translation>
    </message>
    <message>
        <source>C&amp;A file (PEM):</source>
        <translation>C&amp;A 文件（PEM）：</translation>
    </message>
    <message>
        <source>Client cer&amp;tificate:</source>
        <translation>客户端证书(&amp;T)：</translation>
    </message>
    <message>
        <source>Client &amp;key (PEM):</source>
        <translation>客户端密钥（PEM）(&amp;K)：</translation>
    </message>
    <message>
        <source>Passp&amp;hrase:</source>
        <translation>密码(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Minimum TLS:</source>
        <translation>最低 TLS 版本(&amp;M)：</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the CA file</source>
        <translation>选择 CA 文件</translation>
    </message>
    <message>
        <source>Choose the client certificate</source>
        <translation>选择客户端证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer *.p12 *.pfx);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer *.p12 *.pfx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the client key</source>
        <translation>选择客户端密钥</translation>
    </message>
    <message>
        <source>PEM keys (*.pem *.key);;All files (*)</source>
        <translation>PEM 密钥 (*.pem *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <source>inside the PKCS#12 file</source>
        <translation>包含在 PKCS#12 文件中</translation>
    </message>
    <message>
        <source>CA %1</source>
        <translation>CA %1</translation>
    </message>
    <message>
        <source>client certificate</source>
        <translation>客户端证书</translation>
    </message>
    <message>
        <source>value not saved</source>
        <translation>值未保存</translation>
    </message>
    <message>
        <source>The key passphrase was not saved with the session. Type it or remove the client certificate.</source>
        <translation>密钥口令未随会话保存。请输入口令，或移除客户端证书。</translation>
    </message>
</context>
<context>
    <name>wst::WireRelay</name>
    <message>
        <source>The wire relay cannot listen on 127.0.0.1: %1</source>
        <translation>线路中继无法在 127.0.0.1 上监听：%1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>The %1 proxy %2 requires authentication: give its user name and password in the proxy address (user:password@host:port).</source>
        <translation>%1 代理 %2 要求身份验证：请在代理地址中填写用户名和密码（user:password@host:port）。</translation>
    </message>
    <message>
        <source>The %1 proxy %2 rejected the user name or password (authentication failed).</source>
        <translation>%1 代理 %2 拒绝了用户名或密码（身份验证失败）。</translation>
    </message>
    <message>
        <source>Cannot use the %1 proxy %2: %3</source>
        <translation>无法使用 %1 代理 %2：%3</translation>
    </message>
    <message>
        <source>The %1 proxy %2 could not connect to %3: %4</source>
        <translation>%1 代理 %2 无法连接到 %3：%4</translation>
    </message>
    <message>
        <source>The server sent a masked frame (RFC 6455 section 5.1).</source>
        <translation>服务器发送了带掩码的帧（RFC 6455 第 5.1 节）。</translation>
    </message>
    <message>
        <source>inflated %1 bytes on the wire to %2 (%3:1)</source>
        <translation>将线上的 %1 字节解压为 %2 字节（%3:1）</translation>
    </message>
    <message>
        <source>deflated %2 bytes to %1 on the wire (%3:1)</source>
        <translation>将 %2 字节压缩为线上的 %1 字节（%3:1）</translation>
    </message>
</context>
<context>
    <name>wst::WorkspaceDock</name>
    <message>
        <source>Workspace</source>
        <translation>工作区</translation>
    </message>
    <message>
        <source>Workspace pages</source>
        <translation>工作区页面</translation>
    </message>
</context>
<context>
    <name>wst::cli</name>
    <message>
        <source>wstester: no help for “%1”: it is not a command.</source>
        <translation>wstester：没有“%1”的帮助：它不是一个命令。</translation>
    </message>
    <message>
        <source>wstester: “%1” is not a command or a ws:// or wss:// URL. See “wstester --help”.</source>
        <translation>wstester：“%1”既不是命令，也不是 ws:// 或 wss:// URL。请参阅“wstester --help”。</translation>
    </message>
    <message>
        <source>Usage: wstester [URL]                 open the window (and connect to URL)
       wstester &lt;command&gt; [options]   run headless

Commands:
  connect URL   connect to a WebSocket server, send and print messages
  check URL     check how an echo server keeps RFC 6455 (hand-made frames)
  handshake URL print the exact handshake request, response and TLS details
  serve         run a local WebSocket server (echo, broadcast, reply rules)
  proxy         run an intercepting proxy between a client and a server
  session info|export|import-har FILE
                show, export (HAR, NDJSON, CSV, JSON) or import (HAR) a session file
  test FILE...  run scenario files (*.wstest.json) with assertions, for CI
  help [COMMAND]  show help for a command
  completions bash|zsh|fish  print the shell completion script
  manpage       print the man page (roff)

Options:
  -h, --help     show this help
  --version      show the version

Exit codes:
  0  success, or the connection was closed normally (1000, 1001, 1005)
  1  another failure (the server cannot listen, an internal error)
  2  usage error: bad command, option or value
  3  the connection failed: refused, host not found, TLS or handshake failure
  4  timeout: --timeout or the connect timeout ran out
  5  the connection was lost, or the peer closed it with an error code
</source>
        <translation>用法：wstester [URL]                 打开窗口（并连接到 URL）
      wstester &lt;command&gt; [options]   以无界面方式运行

命令：
  connect URL   连接到 WebSocket 服务器，发送并打印消息
  check URL     检查回显服务器遵守 RFC 6455 的情况（手工帧）
  handshake URL 打印确切的握手请求、响应和 TLS 详细信息
  serve         运行本地 WebSocket 服务器（回显、广播、回复规则）
  proxy         在客户端和服务器之间运行拦截代理
  session info|export|import-har FILE
                显示、导出（HAR、NDJSON、CSV、JSON）或导入（HAR）会话文件
  test FILE...  运行带断言的场景文件（*.wstest.json），用于 CI
  help [COMMAND]  显示某个命令的帮助
  completions bash|zsh|fish  打印 shell 补全脚本
  manpage       打印手册页（roff 格式）

选项：
  -h, --help     显示此帮助
  --version      显示版本

退出码：
  0  成功，或连接已正常关闭（1000、1001、1005）
  1  其他失败（服务器无法监听、内部错误）
  2  用法错误：命令、选项或值有误
  3  连接失败：被拒绝、找不到主机、TLS 或握手失败
  4  超时：--timeout 或连接超时已到
  5  连接丢失，或对端以错误码关闭了连接
</translation>
    </message>
    <message>
        <source>usage: wstester completions bash|zsh|fish, or wstester manpage</source>
        <translation>用法：wstester completions bash|zsh|fish，或 wstester manpage</translation>
    </message>
</context>
<context>
    <name>wst::cli::CheckCommand</name>
    <message>
        <source>RFC 6455: %1
The server: %2</source>
        <translation>RFC 6455：%1
服务器：%2</translation>
    </message>
    <message>
        <source>%1: %2 (RFC 6455: %3)</source>
        <translation>%1：%2（RFC 6455：%3）</translation>
    </message>
    <message>
        <source>The server (ws:// or wss://).</source>
        <translation>服务器（ws:// 或 wss://）。</translation>
    </message>
    <message>
        <source>How long to wait for the server&apos;s answer to a case (default 2).</source>
        <translation>每个用例等待服务器应答的时间（默认 2）。</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Run only these cases or groups (comma-separated, e.g. 3,7.4; repeatable).</source>
        <translation>只运行这些用例或分组（逗号分隔，例如 3,7.4；可重复）。</translation>
    </message>
    <message>
        <source>ids</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Print one JSON object per case, then a summary.</source>
        <translation>每个用例输出一个 JSON 对象，最后输出汇总。</translation>
    </message>
    <message>
        <source>Also write the results as JUnit XML to this file.</source>
        <translation>同时把结果以 JUnit XML 写入此文件。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Count lenient cases as failures.</source>
        <translation>把宽松用例计为失败。</translation>
    </message>
    <message>
        <source>Accept any TLS certificate (wss://).</source>
        <translation>接受任何 TLS 证书（wss://）。</translation>
    </message>
    <message>
        <source>List the cases and exit.</source>
        <translation>列出用例并退出。</translation>
    </message>
    <message>
        <source>--only: no case has the id %1 (see --list)</source>
        <translation>--only：没有编号为 %1 的用例（见 --list）</translation>
    </message>
    <message>
        <source>give one URL (ws://host:port/path).</source>
        <translation>请给出一个 URL（ws://host:port/path）。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a ws:// or wss:// URL.</source>
        <translation>“%1”不是 ws:// 或 wss:// URL。</translation>
    </message>
    <message>
        <source>cannot check %1: %2</source>
        <translation>无法检查 %1：%2</translation>
    </message>
    <message>
        <source>case</source>
        <translation>用例</translation>
    </message>
    <message>
        <source>verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>发送内容</translation>
    </message>
    <message>
        <source>the server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>RFC 6455 requires</source>
        <translation>RFC 6455 要求</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Checks how a WebSocket echo server keeps RFC 6455: sends hand-made frames (cases modelled on
the Autobahn test suite&apos;s groups: framing, ping/pong, reserved bits, opcodes, fragmentation,
UTF-8, close codes, limits, compression), one fresh connection a case, and reports per case
what the RFC requires and what the server did. “pass”: as required; “lenient”: allowed but
not the recommended way (it dropped TCP instead of sending Close 1002, or closed with another
code); “FAIL”: against the RFC; “skipped”: the server declined what the case needs
(permessage-deflate, RFC 7692). The server must echo text and binary messages.
Exit code 0 when no case fails (--strict: and none is lenient), 1 when one does, 3 when
the server cannot be reached.</source>
        <translation>检查 WebSocket 回显服务器遵守 RFC 6455 的程度：发送手工构造的帧（用例参照
Autobahn 测试套件的分组：分帧、ping/pong、保留位、操作码、分片、
UTF-8、关闭代码、限制、压缩），每个用例使用一个新连接，并逐个报告
RFC 的要求以及服务器的实际行为。“pass”：符合要求；“lenient”：允许但
不是推荐做法（断开 TCP 而不是发送 Close 1002，或以其他代码关闭）；
“FAIL”：违反 RFC；“skipped”：服务器拒绝了用例所需的功能
（permessage-deflate，RFC 7692）。服务器必须回显文本和二进制消息。
没有用例失败时退出码为 0（--strict：且没有宽松用例），有用例失败时为 1，
无法连接服务器时为 3。</translation>
    </message>
</context>
<context>
    <name>wst::cli::ConnectCommand</name>
    <message>
        <source>timed out after %1 s.</source>
        <translation>%1 秒后超时。</translation>
    </message>
    <message>
        <source>Send this text once connected (repeatable, in order).</source>
        <translation>连接后发送此文本（可重复，按顺序发送）。</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Close with 1000 after receiving N messages.</source>
        <translation>收到 N 条消息后以 1000 关闭连接。</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Give up after this many seconds (exit code 4).</source>
        <translation>超过此秒数后放弃（退出码 4）。</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒数</translation>
    </message>
    <message>
        <source>Print every message and event as JSON lines.</source>
        <translation>以 JSON 行的形式打印每条消息和事件。</translation>
    </message>
    <message>
        <source>certificate errors ignored (-k): %1</source>
        <translation>已忽略证书错误（-k）：%1</translation>
    </message>
    <message>
        <source>Send this hand-made frame once connected, after the --send texts (repeatable, in order).</source>
        <translation>连接后发送此手工帧，在 --send 文本之后（可重复，按顺序）。</translation>
    </message>
    <message>
        <source>spec</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>compression: %1</source>
        <translation>压缩：%1</translation>
    </message>
    <message>
        <source>--decode and --encode do not combine with --protocol.</source>
        <translation>--decode 和 --encode 不能与 --protocol 一起使用。</translation>
    </message>
    <message>
        <source>--send “%1”: %2</source>
        <translation>--send “%1”：%2</translation>
    </message>
    <message>
        <source>not sent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <source>Connects to a WebSocket server, sends messages and prints what it receives.
Received text messages are printed one per line, binary ones as base64 after a
“[binary base64]” marker. With --json every message and event is printed as one
JSON object per line (time, ts_us, dir, kind, size, data; encoding for binary).
When standard input is not a terminal, each line read from it is sent as a text
message, and its end closes the connection with 1000 unless -n or -t is given.
With --protocol, received messages are printed as the protocol&apos;s messages (one line each;
with --json a “protocol” object is added), keep-alives are answered by themselves
and -n counts protocol events, not frames.
--frame SPEC sends a hand-made frame through the wire relay, straight to the server:
comma-separated keys op=text|binary|cont|close|ping|pong|0-15, fin=0|1, rsv1, rsv2, rsv3,
mask=on|off|KEY, payload=TEXT|text:TEXT|hex:HEX|file:PATH|fill:N, bad-utf8,
close=CODE[:REASON], len=N|+N|-N (a lying length), len64, len16, frag=N,
ping-between[=TEXT], bytewise=MS, gap=MS; double quotes keep commas and know \xHH.
Example: --frame &apos;op=text,payload=hello,frag=3,ping-between&apos;.
--decode prints binary messages as JSON (MessagePack, CBOR, BSON or Protocol Buffers);
--encode sends the texts as binary messages encoded from JSON. Byte strings read as
{&quot;$base64&quot;: ...}, NaN and infinities as strings, other keys than strings as their JSON.
Exit codes are listed in “wstester --help”.</source>
        <translation>连接到 WebSocket 服务器，发送消息并打印收到的内容。
收到的文本消息每条打印一行，二进制消息以 base64 打印，并带有
“[binary base64]”标记。使用 --json 时，每条消息和事件都打印为一行一个
JSON 对象（time、ts_us、dir、kind、size、data；二进制另有 encoding）。
当标准输入不是终端时，从中读取的每一行都作为一条文本
消息发送；输入结束时以 1000 关闭连接，除非指定了 -n 或 -t。
使用 --protocol 时，收到的消息按协议消息打印（每条一行；
使用 --json 时附加一个“protocol”对象），保活消息会自动应答，
-n 计算的是协议事件而不是帧。
--frame SPEC 通过线路中继把手工帧直接发给服务器：
以逗号分隔的键 op=text|binary|cont|close|ping|pong|0-15、fin=0|1、rsv1、rsv2、rsv3、
mask=on|off|KEY、payload=TEXT|text:TEXT|hex:HEX|file:PATH|fill:N、bad-utf8、
close=CODE[:REASON]、len=N|+N|-N（虚报的长度）、len64、len16、frag=N、
ping-between[=TEXT]、bytewise=MS、gap=MS；双引号内可包含逗号，并支持 \xHH。
示例：--frame &apos;op=text,payload=hello,frag=3,ping-between&apos;。
--decode 把二进制消息打印为 JSON（MessagePack、CBOR、BSON 或 Protocol Buffers）；
--encode 把文本由 JSON 编码后作为二进制消息发送。字节串读作
{&quot;$base64&quot;: ...}，NaN 和无穷大读作字符串，非字符串的键读作其 JSON 文本。
退出码列在“wstester --help”中。</translation>
    </message>
</context>
<context>
    <name>wst::cli::HandshakeCommand</name>
    <message>
        <source>Opens a WebSocket connection and prints the exact handshake request and response
(“&gt;” sent, “&lt;” received), the TLS session and certificate chain, and the
timings; then closes with 1000. Exit code 0 on 101 Switching Protocols; otherwise the
response is still printed and the exit code says why (see “wstester --help”).</source>
        <translation>打开一个 WebSocket 连接，打印确切的握手请求和响应
（“&gt;”为发送，“&lt;”为接收）、TLS 会话和证书链，以及
各阶段耗时；然后以 1000 关闭连接。收到 101 Switching Protocols 时退出码为 0；否则
仍会打印响应，并由退出码说明原因（见“wstester --help”）。</translation>
    </message>
</context>
<context>
    <name>wst::cli::ProxyCommand</name>
    <message>
        <source>Runs an intercepting WebSocket proxy: every client that connects to the listening
address is forwarded to the upstream URL (or, with --explicit, wherever its HTTP CONNECT
asks). The first line printed is “listening ws://ADDRESS:PORT/”; then one line per event
and message (“&gt;” client to server, “&lt;” server to client; one JSON object per line with
--json). SIGINT or SIGTERM closes every connection with 1001 and exits with 0.

</source>
        <translation>运行一个可拦截的 WebSocket 代理：连接到监听地址的每个客户端都会被转发到上游 URL
（使用 --explicit 时，转发到其 HTTP CONNECT 请求的目标）。打印的第一行是
“listening ws://ADDRESS:PORT/”；之后每个事件和消息各占一行（“&gt;” 表示客户端到服务器，
“&lt;” 表示服务器到客户端；使用 --json 时每行一个 JSON 对象）。SIGINT 或 SIGTERM 会以 1001
关闭所有连接并以 0 退出。

</translation>
    </message>
    <message>
        <source>Address to listen on (default 127.0.0.1).</source>
        <translation>监听地址（默认 127.0.0.1）。</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Port to listen on (default 0: any free port).</source>
        <translation>监听端口（默认 0：任一空闲端口）。</translation>
    </message>
    <message>
        <source>port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Forward every client to this ws:// or wss:// URL.</source>
        <translation>将每个客户端转发到此 ws:// 或 wss:// URL。</translation>
    </message>
    <message>
        <source>url</source>
        <translation>url</translation>
    </message>
    <message>
        <source>Work as an HTTP proxy (CONNECT) that a browser or app is pointed at, instead of --upstream.</source>
        <translation>作为浏览器或应用所指向的 HTTP 代理（CONNECT）工作，而不是使用 --upstream。</translation>
    </message>
    <message>
        <source>Set this request header on the way up (repeatable; &quot;Name: value&quot;).</source>
        <translation>向上游发送时设置此请求头（可重复；&quot;Name: value&quot;）。</translation>
    </message>
    <message>
        <source>header</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Remove this request header on the way up (repeatable).</source>
        <translation>向上游发送时移除此请求头（可重复）。</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Accept any certificate from a wss:// upstream.</source>
        <translation>接受 wss:// 上游的任何证书。</translation>
    </message>
    <message>
        <source>Take the client&apos;s permessage-deflate offer out, so that both sides talk uncompressed.</source>
        <translation>去掉客户端的 permessage-deflate 提议，使双方以不压缩的方式通信。</translation>
    </message>
    <message>
        <source>PEM certificate: listen as wss://.</source>
        <translation>PEM 证书：以 wss:// 监听。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>PEM private key of the certificate.</source>
        <translation>证书的 PEM 私钥。</translation>
    </message>
    <message>
        <source>Close a connection with 1009 when either side sends a larger message (default %1 bytes; 0: no limit).</source>
        <translation>任一方发送更大的消息时以 1009 关闭连接（默认 %1 字节；0：不限制）。</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>Put a fault into what goes to the client (repeatable; SPEC below).</source>
        <translation>在发往客户端的内容中加入故障（可重复；SPEC 见下文）。</translation>
    </message>
    <message>
        <source>spec</source>
        <translation>spec</translation>
    </message>
    <message>
        <source>Print every message and event as JSON lines.</source>
        <translation>将每条消息和事件打印为 JSON 行。</translation>
    </message>
    <message>
        <source>Print only the “listening” line (and errors on stderr).</source>
        <translation>只打印“listening”行（错误打印到 stderr）。</translation>
    </message>
    <message>
        <source>unexpected argument “%1”.</source>
        <translation>意外的参数“%1”。</translation>
    </message>
    <message>
        <source>“%1” is not an IP address.</source>
        <translation>“%1”不是 IP 地址。</translation>
    </message>
    <message>
        <source>give either --upstream URL or --explicit.</source>
        <translation>请指定 --upstream URL 或 --explicit 之一。</translation>
    </message>
    <message>
        <source>--header “%1” is not “Name: value”.</source>
        <translation>--header“%1”不是“Name: value”形式。</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Proxy :%1</source>
        <translation>代理 :%1</translation>
    </message>
    <message>
        <source>[%1] </source>
        <translation>[%1] </translation>
    </message>
</context>
<context>
    <name>wst::cli::ServeCommand</name>
    <message>
        <source>Address to listen on (default 127.0.0.1).</source>
        <translation>要监听的地址（默认 127.0.0.1）。</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Port (default 0: any free port).</source>
        <translation>端口（默认 0：任意空闲端口）。</translation>
    </message>
    <message>
        <source>port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Send every message back to its sender (default).</source>
        <translation>将每条消息发回给发送者（默认）。</translation>
    </message>
    <message>
        <source>Send every message to every client.</source>
        <translation>将每条消息发送给所有客户端。</translation>
    </message>
    <message>
        <source>Send every message to every other client.</source>
        <translation>将每条消息发送给其他所有客户端。</translation>
    </message>
    <message>
        <source>Send nothing by itself.</source>
        <translation>不自动发送任何内容。</translation>
    </message>
    <message>
        <source>Answer by the reply rules in this JSON file.</source>
        <translation>按此 JSON 文件中的回复规则应答。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Send this text to each new client.</source>
        <translation>向每个新客户端发送此文本。</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Send --push-text to every client every MS milliseconds.</source>
        <translation>每隔 MS 毫秒向所有客户端发送 --push-text。</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>The periodic message (a template).</source>
        <translation>定时发送的消息（模板）。</translation>
    </message>
    <message>
        <source>PEM certificate: serve wss://.</source>
        <translation>PEM 证书：提供 wss:// 服务。</translation>
    </message>
    <message>
        <source>PEM private key of the certificate.</source>
        <translation>证书的 PEM 私钥。</translation>
    </message>
    <message>
        <source>Support this subprotocol (repeatable, in order of preference).</source>
        <translation>支持此子协议（可重复，按优先顺序）。</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Accept only this Origin (repeatable); others get 403.</source>
        <translation>只接受此 Origin（可重复）；其他的将收到 403。</translation>
    </message>
    <message>
        <source>origin</source>
        <translation>origin</translation>
    </message>
    <message>
        <source>Refuse clients beyond this many (503).</source>
        <translation>拒绝超出此数量的客户端（503）。</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Print every message and event as JSON lines.</source>
        <translation>以 JSON 行的形式打印每条消息和事件。</translation>
    </message>
    <message>
        <source>unexpected argument “%1”.</source>
        <translation>意外的参数“%1”。</translation>
    </message>
    <message>
        <source>“%1” is not an IP address.</source>
        <translation>“%1”不是 IP 地址。</translation>
    </message>
    <message>
        <source>choose one of --echo, --broadcast, --broadcast-others, --manual and --rules.</source>
        <translation>请在 --echo、--broadcast、--broadcast-others、--manual 和 --rules 中选择一个。</translation>
    </message>
    <message>
        <source>connected from %1</source>
        <translation>已从 %1 连接</translation>
    </message>
    <message>
        <source>[client %1] </source>
        <translation>[客户端 %1] </translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>Local server :%1</source>
        <translation>本地服务器 :%1</translation>
    </message>
    <message>
        <source>Close a client with 1009 when it sends a larger message (default %1 bytes; 0: no limit).</source>
        <translation>客户端发送的消息超过此大小时以 1009 关闭它（默认 %1 字节；0：不限制）。</translation>
    </message>
    <message>
        <source>Drop a client that leaves more than this many sent bytes unread (default %1; 0: no limit).</source>
        <translation>客户端未读取的已发送字节超过此数量时断开它（默认 %1；0：不限制）。</translation>
    </message>
    <message>
        <source>Runs a local WebSocket server for testing clients. The first line printed is
“listening ws://ADDRESS:PORT/”; then one line per event and message (one JSON
object per line with --json, with the client id). SIGINT or SIGTERM closes every
client with 1001 and exits with 0.

</source>
        <translation>运行一个用于测试客户端的本地 WebSocket 服务器。打印的第一行是
“listening ws://ADDRESS:PORT/”；之后每个事件和消息各占一行（使用 --json 时
每行一个 JSON 对象，并带有客户端 id）。收到 SIGINT 或 SIGTERM 时以 1001 关闭所有
客户端，并以 0 退出。

</translation>
    </message>
    <message>
        <source>Put a fault into what the server sends (repeatable; SPEC below).</source>
        <translation>在服务器发送的内容中加入故障（可重复；SPEC 见下文）。</translation>
    </message>
    <message>
        <source>spec</source>
        <translation>spec</translation>
    </message>
    <message>
        <source>Do not agree to permessage-deflate (compression) when a client offers it.</source>
        <translation>客户端提供 permessage-deflate（压缩）时不予同意。</translation>
    </message>
</context>
<context>
    <name>wst::cli::SessionCommand</name>
    <message>
        <source>missing %1.</source>
        <translation>缺少%1。</translation>
    </message>
    <message>
        <source>unexpected argument “%1”.</source>
        <translation>意外的参数“%1”。</translation>
    </message>
    <message>
        <source>“%1” is not a session command (info, export, import-har).</source>
        <translation>“%1”不是会话命令（info、export、import-har）。</translation>
    </message>
    <message>
        <source>Shows what a session file holds: its name, when it was created, its format
version, whether secrets were saved, and for each tab its kind, title, URL,
message counts and time span.</source>
        <translation>显示会话文件的内容：名称、创建时间、格式版本、
是否保存了机密信息，以及每个标签页的类型、标题、URL、
消息计数和时间跨度。</translation>
    </message>
    <message>
        <source>Print one JSON object.</source>
        <translation>打印一个 JSON 对象。</translation>
    </message>
    <message>
        <source>The session file (.wstsession).</source>
        <translation>会话文件（.wstsession）。</translation>
    </message>
    <message>
        <source>the session file</source>
        <translation>会话文件</translation>
    </message>
    <message>
        <source>Cannot read the session: %1</source>
        <translation>无法读取会话：%1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Session:        %1</source>
        <translation>会话：      %1</translation>
    </message>
    <message>
        <source>File:           %1</source>
        <translation>文件：      %1</translation>
    </message>
    <message>
        <source>Created:        %1</source>
        <translation>创建时间：  %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Format version: %1 (written by wstester %2)</source>
        <translation>格式版本：  %1（由 wstester %2 写入）</translation>
    </message>
    <message>
        <source>Secrets:        %1</source>
        <translation>机密信息：  %1</translation>
    </message>
    <message>
        <source>masked</source>
        <translation>已脱敏</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Tabs:           %1</source>
        <translation>标签页：    %1</translation>
    </message>
    <message>
        <source>Tab %1: %2 “%3”%4</source>
        <translation>标签页 %1：%2“%3”%4</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source> (read-only)</source>
        <translation>（只读）</translation>
    </message>
    <message>
        <source>  URL:      %1</source>
        <translation>  URL：   %1</translation>
    </message>
    <message>
        <source>  Messages: %1 (in %2, out %3, events %4)</source>
        <translation>  消息：  %1（接收 %2，发送 %3，事件 %4）</translation>
    </message>
    <message>
        <source>  Time:     %1 to %2 (%3 s)</source>
        <translation>  时间：  %1 至 %2（%3 秒）</translation>
    </message>
    <message>
        <source>format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Write to this file instead of standard output.</source>
        <translation>写入此文件，而不是标准输出。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Export only the tab with this id (see session info).</source>
        <translation>只导出具有此 id 的标签页（见 session info）。</translation>
    </message>
    <message>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <source>there is no tab %1: %2 has no tabs.</source>
        <translation>没有标签页 %1：%2 中没有任何标签页。</translation>
    </message>
    <message>
        <source>there is no tab %1 in %2 (its tabs: %3).</source>
        <translation>%2 中没有标签页 %1（现有标签页：%3）。</translation>
    </message>
    <message>
        <source>Cannot write to standard output: %1</source>
        <translation>无法写入标准输出：%1</translation>
    </message>
    <message>
        <source>Makes a session file from a HAR file saved by a browser (Chrome DevTools: “Save all
as HAR with content”). Each WebSocket connection becomes a read-only client tab with its
URL, headers, handshake and messages; other requests are left out. The output file
appears only when the import is complete.</source>
        <translation>从浏览器保存的 HAR 文件生成会话文件（Chrome DevTools：“以 HAR 格式保存所有内容”，
即 “Save all as HAR with content”）。每个 WebSocket 连接都会成为一个只读的客户端标签页，
包含其 URL、请求头、握手和消息；其他请求会被忽略。输出文件只有在导入完成后
才会出现。</translation>
    </message>
    <message>
        <source>The session file to write (.wstsession).</source>
        <translation>要写入的会话文件（.wstsession）。</translation>
    </message>
    <message>
        <source>The HAR file.</source>
        <translation>HAR 文件。</translation>
    </message>
    <message>
        <source>the HAR file</source>
        <translation>HAR 文件</translation>
    </message>
    <message>
        <source>missing -o OUT.wstsession: where to write the session.</source>
        <translation>缺少 -o OUT.wstsession：会话的写入位置。</translation>
    </message>
    <message>
        <source>Wrote %1: WebSocket connections: %2, messages: %3, other requests left out: %4.</source>
        <translation>已写入 %1：WebSocket 连接：%2，消息：%3，忽略的其他请求：%4。</translation>
    </message>
    <message>
        <source>Write secret header values, passphrases and proxy passwords as recorded.</source>
        <translation>按记录原样写入机密请求头的值、密码短语和代理密码。</translation>
    </message>
    <message numerus="yes">
        <source>secrets masked in %n handshake(s) or tab setting(s); --keep-secrets writes them.</source>
        <translation>
            <numerusform>已在 %n 个握手或标签页设置中遮盖机密信息；使用 --keep-secrets 可写入它们。</numerusform>
        </translation>
    </message>
    <message>
        <source>Usage: wstester session &lt;command&gt; [options]

Commands:
  info FILE                         what a session file holds: tabs, counts, times
  export FILE --format FORMAT       write it as har, ndjson, csv, json, k6 or artillery
  import-har FILE.har -o OUT        make a session file from a HAR (Chrome DevTools)

“wstester session &lt;command&gt; --help” describes a command&apos;s options.
</source>
        <translation>用法：wstester session &lt;command&gt; [options]

命令：
  info FILE                         显示会话文件的内容：标签页、计数、时间
  export FILE --format FORMAT       将其写为 har、ndjson、csv、json、k6 或 artillery
  import-har FILE.har -o OUT        从 HAR（Chrome DevTools）生成会话文件

“wstester session &lt;command&gt; --help”会介绍某个命令的选项。
</translation>
    </message>
    <message>
        <source>Exports a session file: har (HAR 1.2 with Chrome&apos;s WebSocket messages, one entry per
connection), ndjson (one JSON object per message or event, as “connect --json”),
csv (a header row, then one row per message) or json (one document with the tabs,
their settings, handshakes and messages). Writes to standard output unless -o is given;
the -o file appears only when the export is complete. Secret header values
(Authorization, Proxy-Authorization, Cookie, Set-Cookie), passphrases and proxy
passwords are masked unless --keep-secrets is given.
k6 and artillery write a load script that replays each client tab: its URL, handshake
headers and subprotocols, and its sends with the recorded gaps.</source>
        <translation>导出会话文件：har（HAR 1.2，带 Chrome 的 WebSocket 消息，每个连接一个条目）、
ndjson（每条消息或事件一个 JSON 对象，与“connect --json”相同）、
csv（一个标题行，之后每条消息一行）或 json（单个文档，包含各标签页及其
设置、握手和消息）。未指定 -o 时写入标准输出；
-o 指定的文件只有在导出完成后才会出现。机密请求头的值
（Authorization、Proxy-Authorization、Cookie、Set-Cookie）、密码短语和代理
密码会被遮盖，除非指定 --keep-secrets。
k6 和 artillery 会写出一个负载脚本，重放每个客户端标签页：其 URL、握手
请求头和子协议，以及按录制间隔进行的发送。</translation>
    </message>
    <message>
        <source>har, ndjson, csv, json, k6 or artillery.</source>
        <translation>har、ndjson、csv、json、k6 或 artillery。</translation>
    </message>
    <message>
        <source>missing --format (har, ndjson, csv, json, k6 or artillery).</source>
        <translation>缺少 --format（har、ndjson、csv、json、k6 或 artillery）。</translation>
    </message>
    <message>
        <source>unknown format “%1”: use har, ndjson, csv, json, k6 or artillery.</source>
        <translation>未知格式“%1”：请使用 har、ndjson、csv、json、k6 或 artillery。</translation>
    </message>
</context>
<context>
    <name>wst::cli::TestCommand</name>
    <message>
        <source>cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>timed out after %1 s.</source>
        <translation>%1 秒后超时。</translation>
    </message>
    <message>
        <source>--var “%1”: expected name=value, with a name such as port or user_id.</source>
        <translation>--var “%1”：应为 name=value，名称如 port 或 user_id。</translation>
    </message>
    <message>
        <source>Runs scenario files (*.wstest.json) against real servers and reports each step.
The format is described in the README, “Testing your API”, and in
docs/wstest.schema.json. Exit codes: 0 every step passed, 1 a step failed,
2 a bad option or scenario file (one line on standard error says where),
3 a connection could not be made, 4 --timeout ran out.</source>
        <translation>针对真实服务器运行场景文件（*.wstest.json），并报告每个步骤的结果。
格式说明见 README 中的“Testing your API”以及
docs/wstest.schema.json。退出码：0 所有步骤均通过，1 有步骤失败，
2 选项或场景文件有误（标准错误输出中会有一行指出位置），
3 无法建立连接，4 --timeout 已到。</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Scenario files, run in order.</source>
        <translation>场景文件，按顺序运行。</translation>
    </message>
    <message>
        <source>FILE...</source>
        <translation>文件...</translation>
    </message>
    <message>
        <source>Set a variable for {{name}} (repeatable); overrides the file&apos;s &quot;variables&quot;.</source>
        <translation>为 {{name}} 设置变量（可重复）；覆盖文件中的 &quot;variables&quot;。</translation>
    </message>
    <message>
        <source>name=value</source>
        <translation>名称=值</translation>
    </message>
    <message>
        <source>Write a JUnit XML report (a testsuite per file, a testcase per step).</source>
        <translation>写入 JUnit XML 报告（每个文件一个 testsuite，每个步骤一个 testcase）。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Write the results as JSON (“-”: standard output).</source>
        <translation>以 JSON 格式写入结果（“-”：标准输出）。</translation>
    </message>
    <message>
        <source>Stop after the first scenario that fails.</source>
        <translation>在第一个失败的场景之后停止。</translation>
    </message>
    <message>
        <source>Give up after this many seconds in all (exit code 4).</source>
        <translation>总计超过此秒数后放弃（退出码 4）。</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒数</translation>
    </message>
    <message>
        <source>Never colour the output.</source>
        <translation>输出时从不使用颜色。</translation>
    </message>
    <message>
        <source>name at least one scenario file (*.wstest.json).</source>
        <translation>请至少指定一个场景文件（*.wstest.json）。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>SKIP</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Scenarios passed: %1 of %2; steps failed: %3 of %4.</source>
        <translation>通过的场景：%1/%2；失败的步骤：%3/%4。</translation>
    </message>
    <message>
        <source>Use a named environment&apos;s variables (as in the window&apos;s Environments); --var overrides them.</source>
        <translation>使用某个命名环境的变量（即窗口“环境”中的那些）；--var 会覆盖它们。</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Do not run: write the scenario as a load script for k6 or artillery.</source>
        <translation>不运行：将场景写为 k6 或 artillery 的负载脚本。</translation>
    </message>
    <message>
        <source>engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>With --export: write the script to this file instead of standard output.</source>
        <translation>与 --export 一起使用：将脚本写入此文件，而不是标准输出。</translation>
    </message>
    <message>
        <source>-o names the file that --export writes; use --junit or --json for the results.</source>
        <translation>-o 指定 --export 写入的文件；结果请使用 --junit 或 --json。</translation>
    </message>
    <message>
        <source>--export “%1”: use k6 or artillery.</source>
        <translation>--export “%1”：请使用 k6 或 artillery。</translation>
    </message>
    <message>
        <source>--export writes one scenario file at a time.</source>
        <translation>--export 一次只写一个场景文件。</translation>
    </message>
    <message>
        <source>log: %1</source>
        <translation>日志：%1</translation>
    </message>
    <message>
        <source>at %1:%2</source>
        <translation>位于 %1:%2</translation>
    </message>
</context>
<context>
    <name>wst::gui</name>
    <message>
        <source>A desktop tool for testing WebSockets.</source>
        <translation>用于测试 WebSocket 的桌面工具。</translation>
    </message>
    <message>
        <source>Recover Sessions</source>
        <translation>恢复会话</translation>
    </message>
    <message>
        <source>A ws:// or wss:// URL to connect to at once, or a session file (.wstsession) to open.</source>
        <translation>要立即连接的 ws:// 或 wss:// URL，或要打开的会话文件（.wstsession）。</translation>
    </message>
    <message>
        <source>an unsaved session with one tab</source>
        <translation>一个未保存的会话（1 个标签页）</translation>
    </message>
    <message>
        <source>an unsaved session with %1 tabs</source>
        <translation>一个未保存的会话（%1 个标签页）</translation>
    </message>
    <message>
        <source>%1, last written %2</source>
        <translation>%1，最后写入于 %2</translation>
    </message>
    <message>
        <source>wstester was not closed properly last time. Recover what it was recording?

%1

Every tab comes back with its history; nothing is reconnected.

No: nothing is recovered now; what was recorded is kept in %2 for %3 days, then deleted.</source>
        <translation>wstester 上次未正常关闭。要恢复当时正在记录的内容吗？

%1

每个标签页都会连同其历史一起恢复；不会重新连接。

否：现在不恢复；记录的内容会在 %2 中保留 %3 天，然后删除。</translation>
    </message>
    <message>
        <source>Open with an empty client tab.</source>
        <translation>启动时打开一个空的客户端标签页。</translation>
    </message>
    <message>
        <source>Open with a new local server tab.</source>
        <translation>启动时打开一个新的本地服务器标签页。</translation>
    </message>
    <message>
        <source>Start a new window process even when one is running (by default a running wstester opens the URL or file).</source>
        <translation>即使已有窗口进程在运行，也启动一个新的窗口进程（默认由正在运行的 wstester 打开该 URL 或文件）。</translation>
    </message>
</context>
</TS>
