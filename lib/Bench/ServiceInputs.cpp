//===- ServiceInputs.cpp - Generators of backend-service inputs -----------===//
//
// Like every generator in Workload.cpp, each one here is a file format: the
// comments give the exact order of Rng draws, so a Python or JS
// reimplementation produces the same bytes. R.u(a, b) below stands for
// R.uniformInt(a, b); word() for the ascii_text vocabulary's pick(R).
//
//===----------------------------------------------------------------------===//

#include "Bench/ServiceInputs.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kc {
namespace bench {
namespace detail {

namespace {

void appendInt(std::string &Out, int64_t V) { Out += std::to_string(V); }

// One of Chars, uniformly.
char pickChar(Rng &R, llvm::StringRef Chars) {
  return Chars[size_t(R.uniformInt(0, int64_t(Chars.size()) - 1))];
}

template <size_t N>
const char *pickFrom(Rng &R, const char *const (&Table)[N]) {
  return Table[size_t(R.uniformInt(0, int64_t(N) - 1))];
}

} // namespace

// base64_text(n, seed): the standard base64 (RFC 4648 alphabet, '='
// padding, no line breaks) of random_bytes(n, seed).
std::string base64Text(int64_t N, uint64_t Seed) {
  static const char Alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string Bytes = randomBytes(N, Seed);
  std::string Out;
  Out.reserve((Bytes.size() + 2) / 3 * 4);
  size_t I = 0;
  for (; I + 3 <= Bytes.size(); I += 3) {
    uint32_t V = uint32_t(uint8_t(Bytes[I])) << 16 |
                 uint32_t(uint8_t(Bytes[I + 1])) << 8 | uint8_t(Bytes[I + 2]);
    Out += Alphabet[V >> 18];
    Out += Alphabet[(V >> 12) & 63];
    Out += Alphabet[(V >> 6) & 63];
    Out += Alphabet[V & 63];
  }
  if (size_t Rest = Bytes.size() - I) {
    uint32_t V = uint32_t(uint8_t(Bytes[I])) << 16;
    if (Rest == 2)
      V |= uint32_t(uint8_t(Bytes[I + 1])) << 8;
    Out += Alphabet[V >> 18];
    Out += Alphabet[(V >> 12) & 63];
    Out += Rest == 2 ? Alphabet[(V >> 6) & 63] : '=';
    Out += '=';
  }
  return Out;
}

// utf8_lines(n, seed): R = Rng(seed); lines until len(Out) >= n (never cut,
// so "about n" bytes: at most n + 4 * 61 + 1).
//   K = R.u(0, 60) code points; Bad = R.u(0, 15) == 0;
//   At = R.u(0, K) if Bad else -1
//   for j in 0..K: (defect() if j == At); codepoint()
//   (defect() if At == K); '\n'
// codepoint(): C = R.u(0, 99)
//   C < 70: R.u(0x20, 0x7e)          C < 85: R.u(0x80, 0x7ff)
//   C < 95: X = R.u(0x800, 0xf7ff), X + 0x800 if X >= 0xd800 (no surrogates)
//   else:   R.u(0x10000, 0x10ffff)           encoded as UTF-8
// defect(): D = R.u(0, 6); Cont() = 0x80 + R.u(0, 63)
//   0 stray continuation: Cont()
//   1 truncated: R.u(0xe1, 0xec), Cont()       (a 3-byte lead, 1 of 2 bytes)
//   2 overlong 2-byte: R.u(0xc0, 0xc1), Cont()
//   3 overlong 3-byte: 0xe0, R.u(0x80, 0x9f), Cont()
//   4 surrogate: 0xed, R.u(0xa0, 0xbf), Cont()
//   5 above U+10FFFF: 0xf4, R.u(0x90, 0xbf), Cont(), Cont()
//   6 invalid lead: R.u(0xf5, 0xff), Cont(), Cont()
std::string utf8Lines(int64_t N, uint64_t Seed) {
  Rng R(Seed);
  std::string Out;
  auto Cont = [&] { return char(0x80 + R.uniformInt(0, 63)); };
  auto Defect = [&] {
    switch (R.uniformInt(0, 6)) {
    case 0:
      Out += Cont();
      return;
    case 1:
      Out += char(R.uniformInt(0xe1, 0xec));
      Out += Cont();
      return;
    case 2:
      Out += char(R.uniformInt(0xc0, 0xc1));
      Out += Cont();
      return;
    case 3:
      Out += char(0xe0);
      Out += char(R.uniformInt(0x80, 0x9f));
      Out += Cont();
      return;
    case 4:
      Out += char(0xed);
      Out += char(R.uniformInt(0xa0, 0xbf));
      Out += Cont();
      return;
    case 5:
      Out += char(0xf4);
      Out += char(R.uniformInt(0x90, 0xbf));
      Out += Cont();
      Out += Cont();
      return;
    default:
      Out += char(R.uniformInt(0xf5, 0xff));
      Out += Cont();
      Out += Cont();
      return;
    }
  };
  auto CodePoint = [&] {
    int64_t C = R.uniformInt(0, 99);
    uint32_t X;
    if (C < 70) {
      Out += char(R.uniformInt(0x20, 0x7e));
      return;
    }
    if (C < 85) {
      X = uint32_t(R.uniformInt(0x80, 0x7ff));
      Out += char(0xc0 | (X >> 6));
      Out += char(0x80 | (X & 63));
      return;
    }
    if (C < 95) {
      X = uint32_t(R.uniformInt(0x800, 0xf7ff));
      if (X >= 0xd800)
        X += 0x800;
      Out += char(0xe0 | (X >> 12));
      Out += char(0x80 | ((X >> 6) & 63));
      Out += char(0x80 | (X & 63));
      return;
    }
    X = uint32_t(R.uniformInt(0x10000, 0x10ffff));
    Out += char(0xf0 | (X >> 18));
    Out += char(0x80 | ((X >> 12) & 63));
    Out += char(0x80 | ((X >> 6) & 63));
    Out += char(0x80 | (X & 63));
  };
  while (int64_t(Out.size()) < N) {
    int64_t K = R.uniformInt(0, 60);
    bool Bad = R.uniformInt(0, 15) == 0;
    int64_t At = Bad ? R.uniformInt(0, K) : -1;
    for (int64_t J = 0; J < K; ++J) {
      if (J == At)
        Defect();
      CodePoint();
    }
    if (At == K)
      Defect();
    Out += '\n';
  }
  return Out;
}

// A JSON string literal of up to MaxPieces pieces: '"' + L = R.u(0,
// MaxPieces) pieces + '"', each by C = R.u(0, 99):
//   C < 3: \"   C < 5: \\   C < 7: \/   C < 9: \n   C < 10: \t
//   C < 12: \u00 + 2 upper-case hex digits of R.u(0x20, 0x7e)
//   else one of StringChars (R.u over its 68 characters)
static void jsonString(Rng &R, std::string &Out, int64_t MaxPieces) {
  static constexpr llvm::StringLiteral StringChars =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,:@";
  Out += '"';
  for (int64_t L = R.uniformInt(0, MaxPieces); L > 0; --L) {
    int64_t C = R.uniformInt(0, 99);
    if (C < 3) {
      Out += "\\\"";
    } else if (C < 5) {
      Out += "\\\\";
    } else if (C < 7) {
      Out += "\\/";
    } else if (C < 9) {
      Out += "\\n";
    } else if (C < 10) {
      Out += "\\t";
    } else if (C < 12) {
      char Buf[8];
      snprintf(Buf, sizeof(Buf), "\\u00%02X",
               unsigned(R.uniformInt(0x20, 0x7e)));
      Out += Buf;
    } else {
      Out += pickChar(R, StringChars);
    }
  }
  Out += '"';
}

// json_records(n, seed): Out = "["; Id = 0
//   while len(Out) + 2 < n:
//     Out += "\n  " if Id == 0 else ",\n  "; record(Id); Id += 1
//   Out += "]" if Id == 0 else "\n]"
// record(Id): '{' members '}' in this order, each after the first preceded
// by sep() = ",\n    " if R.u(0, 3) == 0 else ", ":
//   "id": Id | "name": string(16) | "email": string(24) | "age": R.u(18, 90)
//   | "score": R.u(-1000000, 1000000) | "active": true if R.u(0, 1) == 1
//   else false | "tags": '[' K = R.u(0, 4) string(8) joined by ", " ']'
// (the sep() draw of a member comes before its value's draws).
std::string jsonRecords(int64_t N, uint64_t Seed) {
  Rng R(Seed);
  std::string Out = "[";
  int64_t Id = 0;
  auto Sep = [&] { Out += R.uniformInt(0, 3) == 0 ? ",\n    " : ", "; };
  while (int64_t(Out.size()) + 2 < N) {
    Out += Id == 0 ? "\n  " : ",\n  ";
    Out += "{\"id\": ";
    appendInt(Out, Id);
    Sep();
    Out += "\"name\": ";
    jsonString(R, Out, 16);
    Sep();
    Out += "\"email\": ";
    jsonString(R, Out, 24);
    Sep();
    Out += "\"age\": ";
    appendInt(Out, R.uniformInt(18, 90));
    Sep();
    Out += "\"score\": ";
    appendInt(Out, R.uniformInt(-1000000, 1000000));
    Sep();
    Out += "\"active\": ";
    Out += R.uniformInt(0, 1) == 1 ? "true" : "false";
    Sep();
    Out += "\"tags\": [";
    for (int64_t K = R.uniformInt(0, 4), J = 0; J < K; ++J) {
      if (J > 0)
        Out += ", ";
      jsonString(R, Out, 8);
    }
    Out += "]}";
    ++Id;
  }
  Out += Id == 0 ? "]" : "\n]";
  return Out;
}

// http_requests(n, seed): heads until len(Out) >= n, each:
//   M = Methods[R.u(0, 6)]
//   target: '/' + K = R.u(1, 4) word()s joined by '/'; then when
//     R.u(0, 2) == 0: '?' + Q = R.u(1, 3) (word() '=' word()) joined by '&'
//   M + ' ' + target + " HTTP/1.1\r\n"
//   header("Host", word() + ".example.com")
//   H = R.u(2, 13) times: Name = Names[R.u(0, 12)]; when Name is
//     Content-Length and one was already written, Name = "X-Request-Id";
//     header(Name, value(Name))
//   when M is POST, PUT or PATCH and no Content-Length was written:
//     header("Content-Length", value("Content-Length"))
//   "\r\n"
// header(Name, V): the header's draws come first: F = R.u(0, 2) (0: Name as
//   listed, 1: lower-case, 2: upper-case), S = R.u(0, 2); then V is drawn;
//   Name in form F + ':' + S spaces + V + "\r\n"
// value(Name): Content-Length: decimal R.u(0, 10^7); User-Agent: word() +
//   '/' + R.u(1, 99) + '.' + R.u(0, 9); X-Request-Id: R.next() as 16
//   lower-case hex digits; Cookie: C = R.u(1, 3) (word() '=' word()) joined
//   by "; "; any other: C = R.u(1, 3) word()s joined by ' '.
std::string httpRequests(int64_t N, uint64_t Seed) {
  static const char *const Methods[] = {"GET",   "POST", "PUT",    "DELETE",
                                        "PATCH", "HEAD", "OPTIONS"};
  static const char *const Names[] = {
      "User-Agent",    "Accept",        "Accept-Encoding", "Accept-Language",
      "Connection",    "Cookie",        "Authorization",   "Content-Type",
      "Content-Length", "X-Request-Id", "Cache-Control",   "If-None-Match",
      "Referer"};
  Rng R(Seed);
  std::string Out;
  auto Words = [&](int64_t Count, const char *Sep, bool Pairs) {
    std::string V;
    for (int64_t I = 0; I < Count; ++I) {
      if (I > 0)
        V += Sep;
      V += pickWord(R);
      if (Pairs) {
        V += '=';
        V += pickWord(R);
      }
    }
    return V;
  };
  auto Value = [&](llvm::StringRef Name) -> std::string {
    if (Name == "Content-Length")
      return std::to_string(R.uniformInt(0, 10000000));
    if (Name == "User-Agent") {
      std::string V = pickWord(R) + "/";
      appendInt(V, R.uniformInt(1, 99));
      V += '.';
      appendInt(V, R.uniformInt(0, 9));
      return V;
    }
    if (Name == "X-Request-Id") {
      char Buf[24];
      snprintf(Buf, sizeof(Buf), "%016llx",
               static_cast<unsigned long long>(R.next()));
      return Buf;
    }
    if (Name == "Cookie")
      return Words(R.uniformInt(1, 3), "; ", true);
    return Words(R.uniformInt(1, 3), " ", false);
  };
  auto Header = [&](llvm::StringRef Name, bool HostValue) {
    int64_t Form = R.uniformInt(0, 2);
    int64_t Spaces = R.uniformInt(0, 2);
    std::string V =
        HostValue ? pickWord(R) + ".example.com" : Value(Name);
    std::string Shown = Name.str();
    if (Form == 1)
      Shown = Name.lower();
    else if (Form == 2)
      Shown = Name.upper();
    Out += Shown;
    Out += ':';
    Out.append(size_t(Spaces), ' ');
    Out += V;
    Out += "\r\n";
  };
  while (int64_t(Out.size()) < N) {
    llvm::StringRef M = pickFrom(R, Methods);
    Out += M;
    Out += " /";
    Out += Words(R.uniformInt(1, 4), "/", false);
    if (R.uniformInt(0, 2) == 0) {
      Out += '?';
      Out += Words(R.uniformInt(1, 3), "&", true);
    }
    Out += " HTTP/1.1\r\n";
    Header("Host", /*HostValue=*/true);
    bool HasLength = false;
    for (int64_t H = R.uniformInt(2, 13); H > 0; --H) {
      llvm::StringRef Name = pickFrom(R, Names);
      if (Name == "Content-Length" && HasLength)
        Name = "X-Request-Id";
      HasLength |= Name == "Content-Length";
      Header(Name, false);
    }
    if (!HasLength && (M == "POST" || M == "PUT" || M == "PATCH"))
      Header("Content-Length", false);
    Out += "\r\n";
  }
  return Out;
}

// url_paths(n, seed): n lines, each a path + '\n'. Per path C = R.u(0, 9):
//   C < 9: Routes[R.u(0, 15)] written out: each ":param" segment becomes
//     param() = L = R.u(1, 12) characters of ParamChars (R.u over its 38)
//   C == 9, a variant that (mostly) matches no route, V = R.u(0, 1):
//     0: "/zz" + word() + (when R.u(0, 1) == 1: '/' + word())
//     1: Routes[R.u(1, 15)] written out, then "/zz" + word() appended
// Routes (the table the route_match kernel holds):
static const char *const Routes[16] = {
    "/",
    "/health",
    "/users",
    "/users/:id",
    "/users/:id/posts",
    "/users/:id/posts/:post_id",
    "/users/:id/followers",
    "/posts/:id/comments/:comment_id",
    "/api/v1/orders/:order_id/items",
    "/api/v1/products/:sku",
    "/api/v1/search",
    "/static/:file",
    "/admin/settings",
    "/orgs/:org/repos/:repo/issues/:number",
    "/orgs/:org/members",
    "/login"};
std::string urlPaths(int64_t N, uint64_t Seed) {
  static constexpr llvm::StringLiteral ParamChars =
      "abcdefghijklmnopqrstuvwxyz0123456789_-";
  Rng R(Seed);
  std::string Out;
  auto WriteRoute = [&](llvm::StringRef Route) {
    if (Route == "/") {
      Out += '/';
      return;
    }
    llvm::SmallVector<llvm::StringRef, 8> Segments;
    Route.drop_front().split(Segments, '/');
    for (llvm::StringRef Seg : Segments) {
      Out += '/';
      if (Seg.starts_with(":")) {
        for (int64_t L = R.uniformInt(1, 12); L > 0; --L)
          Out += pickChar(R, ParamChars);
      } else {
        Out += Seg;
      }
    }
  };
  for (int64_t I = 0; I < N; ++I) {
    if (R.uniformInt(0, 9) < 9) {
      WriteRoute(Routes[R.uniformInt(0, 15)]);
    } else if (R.uniformInt(0, 1) == 0) {
      Out += "/zz";
      Out += pickWord(R);
      if (R.uniformInt(0, 1) == 1) {
        Out += '/';
        Out += pickWord(R);
      }
    } else {
      WriteRoute(Routes[R.uniformInt(1, 15)]);
      Out += "/zz";
      Out += pickWord(R);
    }
    Out += '\n';
  }
  return Out;
}

// template_text(n, seed): tokens until len(Out) >= n (never cut inside a
// placeholder, so at most a placeholder longer than n):
//   C = R.u(0, 99)
//   C < 12: "{{" + name + "}}", name: when R.u(0, 19) == 0 a random name,
//     L = R.u(3, 10) characters of "abcdefghijklmnopqrstuvwxyz_" (rarely a
//     known one), else Names[R.u(0, 11)]
//   else word()
//   then a separator as ascii_text's: S = R.u(0, 99): S < 5 ", "
//   S < 8 ". "  S == 9 ".\n"  S == 10 "\n"  otherwise ' '
std::string templateText(int64_t N, uint64_t Seed) {
  static const char *const Names[] = {"user",     "email", "city",    "date",
                                      "order_id", "total", "product", "count",
                                      "company",  "plan",  "link",    "code"};
  Rng R(Seed);
  std::string Out;
  while (int64_t(Out.size()) < N) {
    if (R.uniformInt(0, 99) < 12) {
      Out += "{{";
      if (R.uniformInt(0, 19) == 0) {
        for (int64_t L = R.uniformInt(3, 10); L > 0; --L)
          Out += pickChar(R, "abcdefghijklmnopqrstuvwxyz_");
      } else {
        Out += pickFrom(R, Names);
      }
      Out += "}}";
    } else {
      Out += pickWord(R);
    }
    int64_t S = R.uniformInt(0, 99);
    if (S < 5)
      Out += ", ";
    else if (S < 8)
      Out += ". ";
    else if (S == 9)
      Out += ".\n";
    else if (S == 10)
      Out += '\n';
    else
      Out += ' ';
  }
  return Out;
}

// csv_ints(rows, cols, seed): rows lines of cols values joined by ',', each
// line followed by '\n'; a value is R.u(-2^40, 2^40) when R.u(0, 9) == 0,
// else R.u(-100000, 100000), in decimal.
std::string csvInts(int64_t Rows, int64_t Cols, uint64_t Seed) {
  constexpr int64_t Big = int64_t(1) << 40;
  Rng R(Seed);
  std::string Out;
  for (int64_t Row = 0; Row < Rows; ++Row) {
    for (int64_t Col = 0; Col < Cols; ++Col) {
      if (Col > 0)
        Out += ',';
      appendInt(Out, R.uniformInt(0, 9) == 0 ? R.uniformInt(-Big, Big)
                                             : R.uniformInt(-100000, 100000));
    }
    Out += '\n';
  }
  return Out;
}

// file_names(n, seed): n lines, each:
//   D = R.u(0, 3) times Dirs[R.u(0, 11)] + '/'
//   W = R.u(1, 3) word()s joined by '_'
//   X = R.u(0, 9): X == 0 "_test", X == 1 "_impl", else nothing
//   Exts[R.u(0, 13)], then '\n'
std::string fileNames(int64_t N, uint64_t Seed) {
  static const char *const Dirs[] = {"src",   "lib",   "test",   "tests",
                                     "docs",  "include", "build", "tools",
                                     "vendor", "assets", "internal", "cmd"};
  static const char *const Exts[] = {".c",  ".h",   ".cc",  ".hpp", ".py",
                                     ".js", ".ts",  ".mjs", ".md",  ".json",
                                     ".txt", ".go", ".rs",  ".yaml"};
  Rng R(Seed);
  std::string Out;
  for (int64_t I = 0; I < N; ++I) {
    for (int64_t D = R.uniformInt(0, 3); D > 0; --D) {
      Out += pickFrom(R, Dirs);
      Out += '/';
    }
    for (int64_t W = R.uniformInt(1, 3), J = 0; J < W; ++J) {
      if (J > 0)
        Out += '_';
      Out += pickWord(R);
    }
    int64_t X = R.uniformInt(0, 9);
    if (X == 0)
      Out += "_test";
    else if (X == 1)
      Out += "_impl";
    Out += pickFrom(R, Exts);
    Out += '\n';
  }
  return Out;
}

// zipf_ints(n, range, s100, seed): with s = s100 / 100, Cum[k] = the f64
// sum over j = 0..k of pow(j + 1, -s) (added in order of j); per value
// U = R.uniformFloat(0, Cum[range - 1]) and the value is the first k with
// Cum[k] > U.
std::vector<int64_t> zipfInts(int64_t N, int64_t Range, double S,
                              uint64_t Seed) {
  std::vector<double> Cum(static_cast<size_t>(Range));
  double Sum = 0;
  for (int64_t K = 0; K < Range; ++K) {
    Sum += std::pow(double(K + 1), -S);
    Cum[size_t(K)] = Sum;
  }
  Rng R(Seed);
  std::vector<int64_t> Out(static_cast<size_t>(N));
  for (int64_t &V : Out) {
    double U = R.uniformFloat(0, Sum);
    V = int64_t(std::upper_bound(Cum.begin(), Cum.end(), U) - Cum.begin());
    V = std::min(V, Range - 1);
  }
  return Out;
}

} // namespace detail
} // namespace bench
} // namespace kc
