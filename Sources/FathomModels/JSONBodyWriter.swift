import Foundation

/// Writes a JSON object straight into bytes: keys in the order given (callers give them sorted, so bodies are
/// canonical), strings escaped in one pass over their UTF-8. A 128K-token prompt is about 0.6 MB of text;
/// Foundation's JSONEncoder spent most of the harness's CPU per request on it.
struct JSONBodyWriter {
    private(set) var bytes: [UInt8] = []
    /// One entry per open container: whether it already holds a member.
    private var hasMembers: [Bool] = []
    /// A key was just written: the next value follows it without a comma.
    private var afterKey = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Writes the comma a new member or element needs.
    private mutating func valueStart() {
        if afterKey {
            afterKey = false
            return
        }
        if let last = hasMembers.indices.last {
            if hasMembers[last] { bytes.append(UInt8(ascii: ",")) }
            hasMembers[last] = true
        }
    }

    mutating func beginObject() {
        valueStart()
        bytes.append(UInt8(ascii: "{"))
        hasMembers.append(false)
    }

    mutating func endObject() {
        hasMembers.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func beginArray() {
        valueStart()
        bytes.append(UInt8(ascii: "["))
        hasMembers.append(false)
    }

    mutating func endArray() {
        hasMembers.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Starts a member; the value written next belongs to it.
    mutating func key(_ name: String) {
        valueStart()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ value: String) {
        valueStart()
        appendString(value)
    }

    mutating func int<I: BinaryInteger>(_ value: I) {
        valueStart()
        bytes.append(contentsOf: Array(String(value).utf8))
    }

    mutating func double(_ value: Double) {
        valueStart()
        bytes.append(contentsOf: Array(value.description.utf8))
    }

    mutating func bool(_ value: Bool) {
        valueStart()
        bytes.append(contentsOf: Array((value ? "true" : "false").utf8))
    }

    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var copy = text
        copy.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5c else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5c, 0x22])
                case 0x5c: bytes.append(contentsOf: [0x5c, 0x5c])
                case 0x0a: bytes.append(contentsOf: [0x5c, UInt8(ascii: "n")])
                case 0x0d: bytes.append(contentsOf: [0x5c, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5c, UInt8(ascii: "t")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5c, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xf)]])
                }
                runStart = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension OpenAIWire.Request {
    /// The request as canonical JSON (sorted keys, nil fields left out).
    func jsonBody() -> Data {
        let textSize = (prompt?.utf8.count ?? 0) + (messages ?? []).reduce(0) { $0 + $1.content.utf8.count }
        var w = JSONBodyWriter(capacity: textSize + textSize / 16 + 512)
        w.beginObject()
        if let add_generation_prompt { w.key("add_generation_prompt"); w.bool(add_generation_prompt) }
        if let continue_final_message { w.key("continue_final_message"); w.bool(continue_final_message) }
        w.key("max_tokens"); w.int(max_tokens)
        if let messages {
            w.key("messages")
            w.beginArray()
            for message in messages {
                w.beginObject()
                w.key("content"); w.string(message.content)
                w.key("role"); w.string(message.role)
                w.endObject()
            }
            w.endArray()
        }
        w.key("model"); w.string(model)
        if let prompt { w.key("prompt"); w.string(prompt) }
        w.key("seed"); w.int(seed)
        if let stop {
            w.key("stop")
            w.beginArray()
            for item in stop { w.string(item) }
            w.endArray()
        }
        w.key("stream"); w.bool(stream)
        if let stream_options {
            w.key("stream_options")
            w.beginObject()
            w.key("include_usage"); w.bool(stream_options.include_usage)
            w.endObject()
        }
        w.key("temperature"); w.double(temperature)
        w.key("top_p"); w.double(top_p)
        w.endObject()
        return Data(w.bytes)
    }
}
