import ArgumentParser
import FathomCore
import FathomText
import Foundation

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Read text on stdin and print its token ids as JSON (for parity checks).")

    @Option(help: "Tokenizer: approx or a tokenizer file (tokenizer.json, .gguf, .tiktoken).") var tokenizer: String = "approx"
    @Flag(help: "Print only the number of tokens.") var count = false
    @Flag(help: "Add the BOS (and, for a .gguf that asks for it, EOS) the model adds, like llama-server's add_special.")
    var addSpecial = false
    @Flag(help: "Stdin is a JSON array of texts; print a JSON array with the ids (or counts) of each.") var batch = false

    func run() throws {
        print(try TokenizerChoice.make(tokenizer).tokenizeForParity(
            FileHandle.standardInput.readDataToEndOfFile(), addSpecial: addSpecial, countOnly: count, batch: batch))
    }
}
