import FathomCore

extension String {
    /// Every occurrence of `target` replaced, scanning left to right: Python's `str.replace`, on code points (a search
    /// by Swift `Character`s would miss a target followed by a combining mark, and match canonically equivalent text).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return PythonText.replace(self, target, replacement)
    }
}
