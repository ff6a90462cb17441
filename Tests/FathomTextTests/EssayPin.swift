/// Regression pin of the built-in essay corpus (SHA-256 of its first 2,000 units). If the grammar or lexicon
/// changes on purpose, bump the corpus fingerprint ("essay-v1") and update this value.
enum EssayPin {
    static let sha256OfFirst2000Units = "8e1148f7d165e21d61f9fec23f59c2ef8c65f51c56d9d148437cf36176db8138"
}
