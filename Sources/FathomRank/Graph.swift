/// Strongly connected components of a digraph on 0..<n given by an edge predicate,
/// via an iterative Tarjan. Components come out in topological order of the
/// condensation (sources first); each component's members are sorted ascending.
/// Traversal is in index order, so the result is deterministic.
func stronglyConnectedComponents(_ n: Int, _ hasEdge: (Int, Int) -> Bool) -> [[Int]] {
    var index = [Int](repeating: -1, count: n)
    var low = [Int](repeating: 0, count: n)
    var onStack = [Bool](repeating: false, count: n)
    var stack: [Int] = []
    var counter = 0
    var components: [[Int]] = []
    var callStack: [(v: Int, next: Int)] = []
    for root in 0..<n where index[root] < 0 {
        callStack.append((root, 0))
        index[root] = counter; low[root] = counter; counter += 1
        stack.append(root); onStack[root] = true
        while !callStack.isEmpty {
            let (v, start) = callStack[callStack.count - 1]
            var w = start
            var descended = false
            while w < n {
                if w != v && hasEdge(v, w) {
                    if index[w] < 0 {
                        callStack[callStack.count - 1].next = w + 1
                        index[w] = counter; low[w] = counter; counter += 1
                        stack.append(w); onStack[w] = true
                        callStack.append((w, 0))
                        descended = true
                        break
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                }
                w += 1
            }
            if descended { continue }
            callStack.removeLast()
            if let parent = callStack.last { low[parent.v] = min(low[parent.v], low[v]) }
            if low[v] == index[v] {
                var component: [Int] = []
                while true {
                    let x = stack.removeLast(); onStack[x] = false
                    component.append(x)
                    if x == v { break }
                }
                components.append(component.sorted())
            }
        }
    }
    return components.reversed()
}
