/*===- binary_trees.c - C reference of benchmarks/kernels/binary_trees.k -===*
 *
 * The Computer Language Benchmarks Game binary-trees: for
 * max_depth = max(6, n), a stretch tree of depth max_depth + 1, a long-lived
 * tree of depth max_depth, 2^(max_depth - depth + 4) trees of each depth
 * 4, 6, ..., max_depth, then the long-lived tree again; every tree is built
 * bottom-up and checked by counting its nodes (2^(depth + 1) - 1). Returns
 * the sum of the checks.
 * As the benchmark's fastest C programs do (with APR pools), nodes come
 * from pools: a node is a bump of a pointer, and a tree is freed at once by
 * rewinding its pool, which keeps its chunks for the next tree. The kernel's
 * native runtime allocates from an arena the same way.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <stdlib.h>

typedef struct tree_node {
  struct tree_node *left, *right; /* both NULL for a leaf */
} tree_node;

enum { CHUNK_NODES = 4096 };

typedef struct chunk {
  struct chunk *next;
  tree_node nodes[CHUNK_NODES];
} chunk;

typedef struct pool {
  chunk *first, *current;
  int used; /* nodes handed out from current */
} pool;

static chunk *new_chunk(void) {
  chunk *c = malloc(sizeof *c);
  if (!c)
    abort();
  c->next = NULL;
  return c;
}

static void pool_init(pool *p) {
  p->first = p->current = new_chunk();
  p->used = 0;
}

static tree_node *pool_alloc(pool *p) {
  if (p->used == CHUNK_NODES) {
    if (!p->current->next)
      p->current->next = new_chunk();
    p->current = p->current->next;
    p->used = 0;
  }
  return &p->current->nodes[p->used++];
}

/* Frees every node at once; the chunks stay for reuse. */
static void pool_clear(pool *p) {
  p->current = p->first;
  p->used = 0;
}

static void pool_destroy(pool *p) {
  for (chunk *c = p->first, *next; c; c = next) {
    next = c->next;
    free(c);
  }
}

static tree_node *bottom_up_tree(pool *p, int depth) {
  tree_node *node = pool_alloc(p);
  if (depth > 0) {
    node->left = bottom_up_tree(p, depth - 1);
    node->right = bottom_up_tree(p, depth - 1);
  } else {
    node->left = node->right = NULL;
  }
  return node;
}

static int64_t item_check(const tree_node *node) {
  if (!node->left)
    return 1;
  return 1 + item_check(node->left) + item_check(node->right);
}

int64_t binary_trees(int64_t n) {
  int min_depth = 4;
  int max_depth = n > min_depth + 2 ? (int)n : min_depth + 2;

  pool trees, long_lived_pool;
  pool_init(&trees);
  pool_init(&long_lived_pool);

  int64_t total = item_check(bottom_up_tree(&trees, max_depth + 1));
  pool_clear(&trees);

  tree_node *long_lived = bottom_up_tree(&long_lived_pool, max_depth);

  for (int depth = min_depth; depth <= max_depth; depth += 2) {
    int64_t iterations = (int64_t)1 << (max_depth - depth + min_depth);
    for (int64_t i = 0; i < iterations; ++i) {
      total += item_check(bottom_up_tree(&trees, depth));
      pool_clear(&trees);
    }
  }
  total += item_check(long_lived);

  pool_destroy(&trees);
  pool_destroy(&long_lived_pool);
  return total;
}

static int64_t N;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  N = kcin_int(in, 0);
  /* 2^(n + 5) nodes per depth: far beyond memory before any overflow. */
  if (N > 30)
    kcin_fail(in->path, "binary_trees: n = %lld is above 30", (long long)N);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = binary_trees(N)};
}
