import FathomCore
import Foundation

/// The key–value header of a GGUF model file (llama.cpp's format), read without touching the tensor data.
///
/// Keeps scalars and strings, and string arrays only for `tokenizer.ggml.tokens` (to name the BOS/EOS tokens); other
/// arrays are skipped. Errors name the file and the byte offset.
public struct GGUFMetadata: Sendable {
    public enum Value: Sendable, Hashable {
        case int(Int64), uint(UInt64), double(Double), bool(Bool), string(String), strings([String]), skippedArray
    }

    public var values: [String: Value]

    public init(path: String) throws(FathomError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw FathomError(.io, "cannot read the GGUF file: \(error.localizedDescription)", file: path)
        }
        let parsed = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<[String: Value], FathomError> in
            var reader = Reader(bytes: raw, file: path)
            do throws(FathomError) { return .success(try reader.readHeader()) } catch { return .failure(error) }
        }
        values = try parsed.get()
    }

    public func string(_ key: String) -> String? {
        if case .string(let s)? = values[key] { return s }
        return nil
    }

    public func integer(_ key: String) -> Int? {
        switch values[key] {
        case .int(let v)?: return Int(v)
        case .uint(let v)?: return Int(exactly: v)
        default: return nil
        }
    }

    /// The text of token `id` from `tokenizer.ggml.tokens`.
    public func token(_ id: Int?) -> String? {
        guard let id, case .strings(let tokens)? = values["tokenizer.ggml.tokens"], tokens.indices.contains(id) else { return nil }
        return tokens[id]
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        let file: String
        var offset = 0

        init(bytes: UnsafeRawBufferPointer, file: String) {
            self.bytes = bytes
            self.file = file
        }

        func fail(_ message: String) -> FathomError {
            FathomError(.parse, "not a readable GGUF file: \(message) at byte \(offset)", file: file)
        }

        mutating func take<T: FixedWidthInteger>(_: T.Type) throws(FathomError) -> T {
            let size = MemoryLayout<T>.size
            guard offset + size <= bytes.count else { throw fail("unexpected end of file") }
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])) }
            offset += size
            return T(littleEndian: value)
        }

        mutating func string() throws(FathomError) -> String {
            let length = try take(UInt64.self)
            guard length <= UInt64(bytes.count - offset) else { throw fail("string of \(length) bytes runs past the end") }
            let end = offset + Int(length)
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
            offset = end
            return text
        }

        mutating func readHeader() throws(FathomError) -> [String: Value] {
            guard try take(UInt32.self) == 0x4655_4747 else { throw fail("missing the GGUF magic") }
            let version = try take(UInt32.self)
            guard version == 2 || version == 3 else { throw fail("unsupported GGUF version \(version)") }
            _ = try take(UInt64.self)  // tensor count
            let count = try take(UInt64.self)
            guard count < 1_000_000 else { throw fail("implausible key count \(count)") }
            var values: [String: Value] = [:]
            for _ in 0..<count {
                let key = try string()
                let type = try take(UInt32.self)
                values[key] = try value(type: type, keepStrings: key == "tokenizer.ggml.tokens")
            }
            return values
        }

        mutating func value(type: UInt32, keepStrings: Bool = false) throws(FathomError) -> Value {
            switch type {
            case 0: return .uint(UInt64(try take(UInt8.self)))
            case 1: return .int(Int64(try take(Int8.self)))
            case 2: return .uint(UInt64(try take(UInt16.self)))
            case 3: return .int(Int64(try take(Int16.self)))
            case 4: return .uint(UInt64(try take(UInt32.self)))
            case 5: return .int(Int64(try take(Int32.self)))
            case 6: return .double(Double(Float(bitPattern: try take(UInt32.self))))
            case 7: return .bool(try take(UInt8.self) != 0)
            case 8: return .string(try string())
            case 9:
                let itemType = try take(UInt32.self)
                let count = try take(UInt64.self)
                guard count <= UInt64(bytes.count - offset) else { throw fail("array of \(count) items runs past the end") }
                if itemType == 8 && keepStrings {
                    var items: [String] = []
                    items.reserveCapacity(Int(count))
                    for _ in 0..<count { items.append(try string()) }
                    return .strings(items)
                }
                let width: [UInt32: Int] = [0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8]
                if let size = width[itemType] {
                    guard UInt64(size) * count <= UInt64(bytes.count - offset) else { throw fail("array runs past the end") }
                    offset += size * Int(count)
                } else {
                    for _ in 0..<count { _ = try value(type: itemType) }
                }
                return .skippedArray
            case 10: return .uint(try take(UInt64.self))
            case 11: return .int(try take(Int64.self))
            case 12: return .double(Double(bitPattern: try take(UInt64.self)))
            default: throw fail("unknown value type \(type)")
            }
        }
    }
}
