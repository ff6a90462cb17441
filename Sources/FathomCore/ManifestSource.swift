import Foundation

/// A set of manifest files from one place: the built-in set (embedded in the binary, or the `Tasks/` folder of a
/// checkout), or a folder added with `--tasks-dir` or `FATHOM_TASKS`. Task manifests may sit anywhere in it; suites
/// sit in its `suites/` folder (optional).
public struct ManifestSource: Sendable {
    /// One manifest: its path relative to the source's root and its text.
    public struct File: Sendable, Hashable {
        public var path: String
        public var text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
        /// Whether the file is a suite manifest (it sits in `suites/`).
        public var isSuite: Bool { path.hasPrefix("suites/") }
    }

    /// `built-in`, or the folder as it was given.
    public var label: String
    /// The folder on disk holding the files (absolute); nil for files embedded in the binary.
    public var root: String?
    public var files: [File]
    /// Files are named relative to the root (`ruler/vt.yaml`, as results have always recorded built-in tasks), or
    /// by the folder as given followed by that (`my-tasks/recall.yaml`).
    public var relativeNames: Bool
    /// The built-in set: messages call its files `Tasks/<path> (built in)`.
    public var isBuiltin: Bool

    public init(label: String, root: String?, files: [File], relativeNames: Bool, isBuiltin: Bool) {
        self.label = label
        self.root = root
        self.files = files
        self.relativeNames = relativeNames
        self.isBuiltin = isBuiltin
    }

    /// Manifests embedded in the binary (the generated `BuiltinManifests`).
    public static func embedded(_ files: [File]) -> ManifestSource {
        ManifestSource(label: "built-in", root: nil, files: files.sorted { $0.path < $1.path }, relativeNames: true, isBuiltin: true)
    }

    /// Every `*.yaml`/`*.yml` under `path` (hidden folders and `.build` skipped). An added folder must exist and hold
    /// at least one manifest, so a mistyped path is an error rather than an empty set.
    public static func folder(_ path: String, relativeNames: Bool = false, builtin: Bool = false) throws(FathomError) -> ManifestSource {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FathomError(.io, "no tasks folder at \(path)")
        }
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let enumerator = manager.enumerator(atPath: root) else { throw FathomError(.io, "cannot list \(path)") }
        var files: [File] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") || name == ".build" {
                enumerator.skipDescendants()
                continue
            }
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            let text = try Registry.readManifest(root + "/" + relative, display: relativeNames ? relative : join(path, relative))
            files.append(File(path: relative, text: text))
        }
        if files.isEmpty && !relativeNames {
            throw FathomError(.io, "\(path) holds no task manifests (*.yaml)")
        }
        return ManifestSource(
            label: builtin ? "built-in" : path, root: root, files: files.sorted { $0.path < $1.path }, relativeNames: relativeNames,
            isBuiltin: builtin)
    }

    /// The name a file goes by in descriptors, errors and results.
    public func displayName(_ file: File) -> String { relativeNames ? file.path : Self.join(label, file.path) }

    /// The file as messages name it (which set it comes from).
    public func origin(_ file: File) -> String { isBuiltin ? "Tasks/\(file.path) (built in)" : displayName(file) }

    /// The folder on disk holding `file`, when it is on disk.
    public func directory(of file: File) -> String? {
        guard let root else { return nil }
        let folder = (file.path as NSString).deletingLastPathComponent
        return folder.isEmpty ? root : root + "/" + folder
    }

    static func join(_ folder: String, _ path: String) -> String {
        var folder = folder
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        return folder == "." ? path : folder + "/" + path
    }
}

extension ManifestSource {
    /// Folders added to the built-in set: `first` (a plugin package's own), `FATHOM_TASKS` (colon-separated), then
    /// each `--tasks-dir`, without repeats.
    public static func addedFolders(
        explicit: [String], first: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        var folders: [String] = []
        let fromEnvironment = (environment["FATHOM_TASKS"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for folder in first + fromEnvironment + explicit {
            let key = URL(fileURLWithPath: folder).standardizedFileURL.path
            if !folders.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == key }) { folders.append(folder) }
        }
        return folders
    }
}
