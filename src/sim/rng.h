#pragma once
// A small deterministic PRNG (xoshiro256** seeded through splitmix64) and the few distributions the
// simulator needs, built from integer arithmetic and + - * / only, so that a seed gives the same
// market on every compiler and standard library (std:: distributions are implementation-defined).

#include <cstdint>

namespace vnt::sim {

// splitmix64 step: advances *state and returns the next output (also used to derive sub-seeds).
inline std::uint64_t SplitMix64(std::uint64_t* state) {
  std::uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// xoshiro256** with helpers; copyable value type.
class Rng {
 public:
  // Seeds the four state words from splitmix64(seed).
  explicit Rng(std::uint64_t seed = 1) {
    std::uint64_t x = seed;
    for (std::uint64_t& s : s_) s = SplitMix64(&x);
  }
  // Next 64 random bits.
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [lo, hi] (hi >= lo); the modulo bias is below 2^-40 for our ranges.
  std::int64_t Range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }
  // Approximately standard normal (Irwin-Hall sum of four uniforms, rescaled): no libm involved.
  double Normal() {
    const double s = Uniform() + Uniform() + Uniform() + Uniform();
    return (s - 2.0) * 1.7320508075688772;
  }
  // Event count in one interval with mean `lambda` (binomial approximation of Poisson).
  int Count(double lambda) {
    if (lambda <= 0) return 0;
    int n = 8;
    while (n < lambda * 4) n *= 2;
    const double p = lambda / n;
    int k = 0;
    for (int i = 0; i < n; ++i) k += Uniform() < p;
    return k;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace vnt::sim
