/// Stable identities: sample ids and per-sample seeds derived from what defines a sample.
///
/// A sample is defined by (task name, task version, resolved parameters, target length, index, suite seed).
/// Those parts are serialised canonically (length-prefixed fields, parameters as sorted-key canonical JSON) and
/// hashed with SHA-256. The id is the first 16 hex digits; the seed is the first 8 bytes read big-endian.
/// Neither depends on the machine, the concurrency or the order of execution.
public struct SampleIdentity: Sendable, Hashable {
    public let id: String
    public let seed: UInt64
    /// The sample's index within its task × length cell.
    public let index: Int
    /// The target length L.
    public let length: Int
    /// The suite seed the identity was derived from: shared by every task of a run, so tasks that must draw the same
    /// items (a packed task and its single-item baseline) can seed them from it rather than from their own seed.
    public let suiteSeed: UInt64

    public init(task: String, version: Int, parameters: ParameterSet, length: Int, index: Int, suiteSeed: UInt64) {
        var hasher = SHA256()
        for field in [
            "fathom-sample-v1", task, String(version), parameters.canonicalJSON, String(length), String(index),
            String(suiteSeed),
        ] {
            hasher.update(String(field.utf8.count))
            hasher.update(":")
            hasher.update(field)
        }
        let digest = hasher.finalize()
        id = String(SHA256.hexString(digest).prefix(16))
        self.index = index
        self.length = length
        self.suiteSeed = suiteSeed
        seed = digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// Derives independent seeds for sub-streams (e.g. "haystack", "needles") from a parent seed.
public func deriveSeed(_ parent: UInt64, _ label: String) -> UInt64 {
    var hasher = SHA256()
    hasher.update(String(parent))
    hasher.update(":")
    hasher.update(label)
    return hasher.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
}
