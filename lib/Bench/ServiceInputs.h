//===- ServiceInputs.h - Generators of backend-service inputs -*- C++ -*-===//
//
// Internal to lib/Bench: the generators whose output looks like what a
// backend service receives (HTTP heads, URL paths, JSON records, CSV lines,
// base64, UTF-8 text, file names, templates, Zipf-distributed keys). Each is
// specified in ServiceInputs.cpp precisely enough to be reimplemented: the
// order of Rng draws is part of the format.
//
//===----------------------------------------------------------------------===//

#ifndef KC_BENCH_SERVICEINPUTS_H
#define KC_BENCH_SERVICEINPUTS_H

#include "Bench/Workload.h"
#include <string>
#include <vector>

namespace kc {
namespace bench {
namespace detail {

/// A word of the ascii_text vocabulary, Zipf-ranked (defined in Workload.cpp).
const std::string &pickWord(Rng &R);

/// random_bytes(n, seed) (defined in Workload.cpp).
std::string randomBytes(int64_t N, uint64_t Seed);

std::string base64Text(int64_t N, uint64_t Seed);
std::string utf8Lines(int64_t N, uint64_t Seed);
std::string jsonRecords(int64_t N, uint64_t Seed);
std::string httpRequests(int64_t N, uint64_t Seed);
std::string urlPaths(int64_t N, uint64_t Seed);
std::string templateText(int64_t N, uint64_t Seed);
std::string csvInts(int64_t Rows, int64_t Cols, uint64_t Seed);
std::string fileNames(int64_t N, uint64_t Seed);
std::vector<int64_t> zipfInts(int64_t N, int64_t Range, double S,
                              uint64_t Seed);

} // namespace detail
} // namespace bench
} // namespace kc

#endif
