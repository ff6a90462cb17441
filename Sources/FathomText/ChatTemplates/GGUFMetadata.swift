import FathomCore
import Foundation

/// The key–value header of a GGUF model file (llama.cpp's format), read without touching the tensor data.
///
/// Scalars and strings are decoded into `values`; arrays are only located (`values[key] == .skippedArray`) and read
/// on demand with `stringArray(_:)`, `float32Array(_:)` and `int32Array(_:)`, straight from the memory-mapped file,
/// so a 262K-token vocabulary costs no per-token allocation until a caller asks for it. Errors name the file, the
/// key and the byte offset.
public struct GGUFMetadata: Sendable {
    public enum Value: Sendable, Hashable {
        case int(Int64), uint(UInt64), double(Double), bool(Bool), string(String), skippedArray
    }

    /// Where an array value lies in the file.
    public struct ArrayLocation: Sendable, Hashable {
        /// GGUF item type (4 = uint32, 5 = int32, 6 = float32, 8 = string, ...).
        public let itemType: UInt32
        public let count: Int
        /// Byte offset of the first item.
        let offset: Int
        /// Bytes the items take.
        let byteCount: Int
    }

    public let path: String
    public var values: [String: Value]
    public private(set) var arrays: [String: ArrayLocation]
    /// The whole file, memory-mapped.
    private let data: Data

    public init(path: String) throws(FathomError) {
        self.path = path
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw FathomError(.io, "cannot read the GGUF file: \(error.localizedDescription)", file: path)
        }
        let parsed = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<Reader, FathomError> in
            var reader = Reader(bytes: raw, file: path)
            do throws(FathomError) { try reader.readHeader(); return .success(reader) } catch { return .failure(error) }
        }
        let reader = try parsed.get()
        values = reader.values
        arrays = reader.arrays
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

    public func bool(_ key: String) -> Bool? {
        if case .bool(let b)? = values[key] { return b }
        return nil
    }

    /// The text of token `id` from `tokenizer.ggml.tokens`.
    public func token(_ id: Int?) -> String? {
        guard let id, id >= 0, let tokens = try? stringArray("tokenizer.ggml.tokens"), id < tokens.count else { return nil }
        return String(decoding: tokens[id], as: UTF8.self)
    }

    private func location(_ key: String, types: Set<UInt32>, expected: String) throws(FathomError) -> ArrayLocation {
        guard let loc = arrays[key] else {
            if values[key] != nil { throw FathomError(.wrongType, "expected an array of \(expected)", file: path, key: key) }
            throw FathomError(.missingKey, "missing", file: path, key: key)
        }
        guard types.contains(loc.itemType) else {
            throw FathomError(.wrongType, "expected an array of \(expected), found items of GGUF type \(loc.itemType)",
                              file: path, key: key)
        }
        return loc
    }

    /// The array of strings under `key`, as raw UTF-8 bytes (one copy of the array's bytes, no per-item allocation).
    public func stringArray(_ key: String) throws(FathomError) -> GGUFStrings {
        let loc = try location(key, types: [8], expected: "strings")
        return data.withUnsafeBytes { raw in
            GGUFStrings(UnsafeRawBufferPointer(rebasing: raw[loc.offset..<(loc.offset + loc.byteCount)]), count: loc.count)
        }
    }

    /// The array of 32-bit floats under `key` (int32 items are converted, as llama.cpp does for scores).
    public func float32Array(_ key: String) throws(FathomError) -> [Float] {
        let loc = try location(key, types: [5, 6], expected: "float32")
        return data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + loc.offset
            return [Float](unsafeUninitializedCapacity: loc.count) { buf, n in
                for i in 0..<loc.count {
                    let bits = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                    buf[i] = loc.itemType == 6 ? Float(bitPattern: bits) : Float(Int32(bitPattern: bits))
                }
                n = loc.count
            }
        }
    }

    /// The array of 32-bit integers under `key` (int32 or uint32 items).
    public func int32Array(_ key: String) throws(FathomError) -> [Int32] {
        let loc = try location(key, types: [4, 5], expected: "int32")
        return data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + loc.offset
            return [Int32](unsafeUninitializedCapacity: loc.count) { buf, n in
                for i in 0..<loc.count {
                    buf[i] = Int32(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
                n = loc.count
            }
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        let file: String
        var offset = 0
        var key: String?
        var values: [String: Value] = [:]
        var arrays: [String: ArrayLocation] = [:]

        init(bytes: UnsafeRawBufferPointer, file: String) {
            self.bytes = bytes
            self.file = file
        }

        func fail(_ message: String) -> FathomError {
            FathomError(.parse, "not a readable GGUF file: \(message) at byte \(offset)", file: file, key: key)
        }

        mutating func take<T: FixedWidthInteger>(_: T.Type) throws(FathomError) -> T {
            let size = MemoryLayout<T>.size
            guard offset + size <= bytes.count else { throw fail("unexpected end of file") }
            let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
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

        mutating func readHeader() throws(FathomError) {
            guard try take(UInt32.self) == 0x4655_4747 else { throw fail("missing the GGUF magic") }
            let version = try take(UInt32.self)
            guard version == 2 || version == 3 else { throw fail("unsupported GGUF version \(version)") }
            _ = try take(UInt64.self)  // tensor count
            let count = try take(UInt64.self)
            guard count < 1_000_000 else { throw fail("implausible key count \(count)") }
            values.reserveCapacity(Int(count))
            for _ in 0..<count {
                key = nil
                let name = try string()
                key = name
                let type = try take(UInt32.self)
                if type == 9 {
                    arrays[name] = try array()
                    values[name] = .skippedArray
                } else {
                    values[name] = try value(type: type)
                }
            }
            key = nil
        }

        static let widths: [UInt32: Int] = [0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8]

        /// Locates an array (the offset is at its item type) and moves past it.
        mutating func array() throws(FathomError) -> ArrayLocation {
            let itemType = try take(UInt32.self)
            let count = try take(UInt64.self)
            guard count <= UInt64(bytes.count - offset) else { throw fail("array of \(count) items runs past the end") }
            let start = offset
            if let size = Self.widths[itemType] {
                guard UInt64(size) * count <= UInt64(bytes.count - offset) else { throw fail("array runs past the end") }
                offset += size * Int(count)
            } else if itemType == 8 {
                for _ in 0..<count {
                    let length = try take(UInt64.self)
                    guard length <= UInt64(bytes.count - offset) else { throw fail("string of \(length) bytes runs past the end") }
                    offset += Int(length)
                }
            } else if itemType == 9 {
                for _ in 0..<count { _ = try array() }
            } else {
                throw fail("unknown array item type \(itemType)")
            }
            return ArrayLocation(itemType: itemType, count: Int(count), offset: start, byteCount: offset - start)
        }

        mutating func value(type: UInt32) throws(FathomError) -> Value {
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
            case 10: return .uint(try take(UInt64.self))
            case 11: return .int(try take(Int64.self))
            case 12: return .double(Double(bitPattern: try take(UInt64.self)))
            default: throw fail("unknown value type \(type)")
            }
        }
    }
}

/// The items of a GGUF string array as raw UTF-8 byte ranges over one owned buffer.
public struct GGUFStrings: Sendable, RandomAccessCollection {
    /// The array's bytes as stored (each item: a little-endian `UInt64` length, then the bytes).
    let storage: [UInt8]
    /// Offset of item `i`'s first byte in `storage`; `starts[count]` bounds the last item (plus its 8-byte prefix).
    let starts: [Int32]

    /// Copies `count` length-prefixed items from `raw` (already checked to hold them).
    init(_ raw: UnsafeRawBufferPointer, count: Int) {
        storage = [UInt8](raw)
        var starts = [Int32](repeating: 0, count: count + 1)
        storage.withUnsafeBytes { b in
            var o = 0
            for i in 0..<count {
                let n = Int(UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
                starts[i] = Int32(o + 8)
                o += 8 + n
            }
            starts[count] = Int32(o + 8)
        }
        self.starts = starts
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { starts.count - 1 }

    /// Byte length of item `i`.
    @inline(__always) public func length(_ i: Int) -> Int { Int(starts[i + 1]) - 8 - Int(starts[i]) }

    public subscript(i: Int) -> ArraySlice<UInt8> {
        let s = Int(starts[i])
        return storage[s..<(s + length(i))]
    }

    /// Calls `body` with a pointer to every item's bytes and its length, in order.
    public func withItems(_ body: (Int, UnsafePointer<UInt8>, Int) throws -> Void) rethrows {
        try storage.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            for i in 0..<count { try body(i, base + Int(starts[i]), length(i)) }
        }
    }
}
