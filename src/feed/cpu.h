#pragma once

namespace vnt::feed {

// True when this CPU can run the decoder, which is compiled for x86-64-v3 (AVX2, BMI2, PCLMUL)
// so that simdjson uses its fast kernel. Checked once at start-up.
bool CpuSupported();

}  // namespace vnt::feed
