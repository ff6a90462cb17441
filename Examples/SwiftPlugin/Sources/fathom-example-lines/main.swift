import FathomCLI
import FathomTasks
import ExampleLinesTasks

// This package's own `fathom`: every command, with the built-in plugin kinds and ExampleLines, and this package's Tasks/
// added to the built-in tasks (more folders: --tasks-dir DIR or FATHOM_TASKS).
await FathomCLI.main(kinds: BuiltinPlugins.all + [ExampleLines.self], taskFolders: [FathomCLI.packageTasksFolder()])
