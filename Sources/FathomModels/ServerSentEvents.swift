import Foundation

/// An incremental parser of `text/event-stream` bodies: feed it bytes as they arrive, get the `data:` payloads of
/// complete events. Handles `\n` and `\r\n` line ends and multi-line data fields.
public struct ServerSentEvents: Sendable {
    private var buffer: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false

    public init() {}

    /// Adds bytes and returns the payloads of the events they complete.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [String] where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var events: [String] = []
        var lineStart = 0
        var i = 0
        while i < buffer.count {
            if buffer[i] == 0x0a {
                var lineEnd = i
                if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0d { lineEnd -= 1 }
                handle(line: buffer[lineStart..<lineEnd], into: &events)
                lineStart = i + 1
            }
            i += 1
        }
        buffer.removeFirst(lineStart)
        return events
    }

    private mutating func handle(line: ArraySlice<UInt8>, into events: inout [String]) {
        if line.isEmpty {
            if hasData { events.append(String(decoding: data, as: UTF8.self)) }
            data.removeAll()
            hasData = false
            return
        }
        guard line.starts(with: Array("data:".utf8)) else { return }  // comments, event:, id:, retry:
        var value = line.dropFirst(5)
        if value.first == 0x20 { value = value.dropFirst() }
        if hasData { data.append(0x0a) }
        data.append(contentsOf: value)
        hasData = true
    }
}
