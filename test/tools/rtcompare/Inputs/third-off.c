/* A reference for third.k whose result differs in the last bits (about
 * 4e-16 relative), as a different math library might. */
#include <stdint.h>
double third(int64_t n) {
  double x = (double)n / 3.0;
  return x + x * 4e-16;
}
