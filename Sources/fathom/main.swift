import FathomCLI
import FathomTasks

// The `fathom` command: the CLI library with the built-in plugin kinds. An outside plugin package builds its own
// `fathom` the same way, adding its kinds: `await FathomCLI.main(kinds: BuiltinPlugins.all + [MyKind.self])`.
await FathomCLI.main(kinds: BuiltinPlugins.all)
