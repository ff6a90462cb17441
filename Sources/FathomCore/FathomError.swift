/// The error type of Fathom: a class (for tests and scripts), a message, and where it happened.
///
/// Its description reads `FILE:LINE: key 'KEY': MESSAGE` with whatever location parts are known, so every
/// manifest error names the file and the key.
public struct FathomError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Kind: String, Sendable, Equatable {
        case parse, unknownKey, missingKey, wrongType, invalidValue, unknownPlugin, duplicateName, missingTask
        case length, io, backend, usage, journal
    }

    public var kind: Kind
    public var message: String
    public var file: String?
    public var line: Int?
    public var key: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, key: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.key = key
    }

    public var description: String {
        var location = ""
        if let file {
            location = file
            if let line { location += ":\(line)" }
            location += ": "
        }
        if let key { location += "key '\(key)': " }
        return location + message
    }
}
