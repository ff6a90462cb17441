import FathomCore
import FathomModels
import Testing

/// A misspelt built-in system names the nearest one.
@Suite struct ModelNameSuggestionTests {
    @Test func misspeltReferenceSystemSuggestsTheNearest() {
        #expect(throws: FathomError.self) { try BackendConfiguration(model: "orcale").validate() }
        do { try BackendConfiguration(model: "orcale").validate() } catch { #expect(error.message.contains("(did you mean 'oracle'?)"), "\(error)") }
        do { try BackendConfiguration(model: "my-model").validate() } catch { #expect(!error.message.contains("did you mean"), "\(error)") }
    }
}
