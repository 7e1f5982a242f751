// binary_trees.mjs - hand-written JS reference of
// benchmarks/kernels/binary_trees.k
//
// binary-trees (Computer Language Benchmarks Game): for
// max_depth = max(6, n), a stretch tree of depth max_depth + 1, a long-lived
// tree of depth max_depth, 2^(max_depth - depth + 4) trees of each depth
// 4, 6, ..., max_depth, then the long-lived tree again; every tree is built
// bottom-up and checked by counting its nodes (2^(depth + 1) - 1). Returns
// the sum of the checks.
// As in the benchmark's JavaScript programs, a node is an instance of one
// class with left and right children, both null for a leaf: one allocation
// per node, collected by V8's young-generation GC.

class TreeNode {
  constructor(left, right) {
    this.left = left;
    this.right = right;
  }
}

function bottomUpTree(depth) {
  return depth > 0
    ? new TreeNode(bottomUpTree(depth - 1), bottomUpTree(depth - 1))
    : new TreeNode(null, null);
}

function itemCheck(node) {
  if (node.left === null) return 1;
  return 1 + itemCheck(node.left) + itemCheck(node.right);
}

export function binary_trees(n) {
  const minDepth = 4;
  const maxDepth = Math.max(minDepth + 2, n | 0);

  let total = itemCheck(bottomUpTree(maxDepth + 1));
  const longLived = bottomUpTree(maxDepth);
  for (let depth = minDepth; depth <= maxDepth; depth += 2) {
    const iterations = 1 << (maxDepth - depth + minDepth);
    for (let i = 0; i < iterations; i++) total += itemCheck(bottomUpTree(depth));
  }
  return total + itemCheck(longLived);
}
