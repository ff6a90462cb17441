/// Regression pin of the built-in essay corpus (SHA-256 of its first 2,000 units). If the grammar or lexicon
/// changes on purpose, bump the corpus fingerprint ("essay-v2") and update this value.
enum EssayPin {
    static let sha256OfFirst2000Units = "87f04a0d0547a88874a2d73cadd9ae0cc3cd7075abf2eeaa288697b7dd0a8c30"
}
