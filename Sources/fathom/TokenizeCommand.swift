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
        let chosen = try TokenizerChoice.make(tokenizer)
        let input = FileHandle.standardInput.readDataToEndOfFile()
        func ids(_ text: String) -> [Int] {
            if let gguf = chosen as? GGUFTokenizer { return gguf.encode(text, addSpecial: addSpecial) }
            let body = chosen.encode(text)
            return addSpecial && chosen.bosTokenID != nil ? [chosen.bosTokenID!] + body : body
        }
        func render(_ text: String) -> String {
            if count { return String(addSpecial ? ids(text).count : chosen.count(text)) }
            return "[" + ids(text).map(String.init).joined(separator: ",") + "]"
        }
        if batch {
            guard let texts = try? JSONDecoder().decode([String].self, from: input) else {
                throw FathomError(.parse, "--batch expects a JSON array of strings on stdin")
            }
            print("[" + texts.map(render).joined(separator: ",\n") + "]")
        } else {
            print(render(String(decoding: input, as: UTF8.self)))
        }
    }
}
