#include "core/vn30_basket.h"

namespace vnt::core {

const std::vector<Symbol>& DefaultVn30Basket() {
  static const std::vector<Symbol> basket = [] {
    std::vector<Symbol> v;
    for (const char* s : {"ACB", "BCM", "BID", "BVH", "CTG", "FPT", "GAS", "GVR", "HDB", "HPG",
                          "LPB", "MBB", "MSN", "MWG", "PLX", "SAB", "SHB", "SSB", "SSI", "STB",
                          "TCB", "TPB", "VCB", "VHM", "VIB", "VIC", "VJC", "VNM", "VPB", "VRE"})
      v.push_back(Symbol::Of(s));
    return v;
  }();
  return basket;
}

}  // namespace vnt::core
