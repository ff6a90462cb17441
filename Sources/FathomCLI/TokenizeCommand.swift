import ArgumentParser
import FathomText
import Foundation

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Read text on stdin and print its token ids as JSON (for parity checks).")

    @Option(help: "Tokenizer: approx or a tokenizer file.") var tokenizer: String = "approx"
    @Flag(help: "Print only the number of tokens.") var count = false

    func run() throws {
        let chosen = try TokenizerChoice.make(tokenizer)
        let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        if count {
            print(chosen.count(text))
        } else {
            print("[" + chosen.encode(text).map(String.init).joined(separator: ",") + "]")
        }
    }
}
