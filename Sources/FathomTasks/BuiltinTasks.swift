import FathomCore
import FathomExec
import Foundation

/// The built-in task set and the registry every command loads: built-in manifests first, then added folders, with the
/// built-in plugin kinds, any extra kinds (an outside package's own `fathom`), and `exec`.
///
/// The built-in manifests are carried by the binary (`BuiltinManifests`, generated from `Tasks/`), so a copy of the
/// binary works from any folder. A binary that runs from its own checkout (`<repo>/.build/…/fathom`, tests included)
/// reads the working tree's `Tasks/` instead: the embedded set *is* `Tasks/`, so this only spares regenerating it
/// after every edit of a manifest (a test fails until it is regenerated).
public enum BuiltinTasks {
    /// Kinds described by an outside process rather than a Swift type.
    public static let externalKinds: [any ExternalPluginKind.Type] = [ExecPlugin.self]

    /// The root of the Fathom checkout this binary was built in, when it runs from one: a folder above the executable
    /// (at most six levels) holding Fathom's Package.swift, `Tasks/` and the generated manifests file.
    public static func checkoutRoot(executable: String? = nil) -> String? {
        guard let path = executable ?? Bundle.main.executablePath else { return nil }
        var url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let manager = FileManager.default
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            let root = url.path
            guard manager.fileExists(atPath: root + "/" + ManifestEmbedding.outputPath), manager.fileExists(atPath: root + "/Tasks"),
                let package = manager.contents(atPath: root + "/Package.swift"),
                String(decoding: package, as: UTF8.self).contains("name: \"Fathom\"")
            else { continue }
            return root
        }
        return nil
    }

    /// The built-in manifests: the checkout's `Tasks/` when running from a checkout and `preferCheckout`, else the
    /// copy embedded in the binary.
    public static func source(preferCheckout: Bool = true) throws -> ManifestSource {
        if preferCheckout, let root = checkoutRoot() {
            return try ManifestSource.folder(root + "/Tasks", relativeNames: true, builtin: true)
        }
        return ManifestSource.embedded(BuiltinManifests.files)
    }

    /// Manifests whose text in `source` (a checkout's Tasks/) differs from the embedded copy, or that only one has.
    public static func differencesFromEmbedded(_ source: ManifestSource) -> [String] {
        let embedded = Dictionary(BuiltinManifests.files.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        let current = Dictionary(source.files.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        return Set(embedded.keys).union(current.keys).filter { embedded[$0] != current[$0] }.sorted()
    }

    /// The registry of the built-in tasks plus every manifest in `folders` (each may have a `suites/` folder), with
    /// `kinds` (the built-in ones, plus an outside package's own) and exec. A name defined twice is an error naming
    /// both files.
    public static func registry(
        adding folders: [String] = [], kinds: [any TaskPlugin.Type] = BuiltinPlugins.all, preferCheckout: Bool = true
    ) throws -> Registry {
        let builtin = try source(preferCheckout: preferCheckout)
        var sources = [builtin]
        for folder in folders {
            // The checkout's own Tasks/ (as `--tasks Tasks` named it before tasks were built in) is the built-in set.
            if let root = builtin.root, URL(fileURLWithPath: folder).standardizedFileURL.path == root { continue }
            sources.append(try ManifestSource.folder(folder))
        }
        return try Registry.load(sources: sources, kinds: kinds, external: externalKinds)
    }
}
