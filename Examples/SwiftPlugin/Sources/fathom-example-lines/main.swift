import FathomCLI
import FathomTasks
import ExampleLinesTasks

// This package's own `fathom`: every command, with the built-in plugin kinds and ExampleLines, and this package's Tasks/.
await FathomCLI.main(kinds: BuiltinPlugins.all + [ExampleLines.self])
