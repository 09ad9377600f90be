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

const std::vector<IndexWeight>& DefaultVn30Weights() {
  // One constituent a line.
  // clang-format off
  static const std::vector<IndexWeight> weights = {
      {Symbol::Of("ACB"), 5'136'656'599, 0.85},
      {Symbol::Of("BCM"), 1'035'000'000, 0.05},
      {Symbol::Of("BID"), 7'021'361'917, 0.10},
      {Symbol::Of("BVH"), 742'322'764, 0.10},
      {Symbol::Of("CTG"), 5'369'991'748, 0.15},
      {Symbol::Of("FPT"), 1'471'069'236, 0.80},
      {Symbol::Of("GAS"), 2'342'675'461, 0.05},
      {Symbol::Of("GVR"), 4'000'000'000, 0.05},
      {Symbol::Of("HDB"), 3'503'067'000, 0.65},
      {Symbol::Of("HPG"), 7'675'465'855, 0.55},
      {Symbol::Of("LPB"), 2'987'467'000, 0.65},
      {Symbol::Of("MBB"), 6'103'090'000, 0.75},
      {Symbol::Of("MSN"), 1'438'500'000, 0.45},
      {Symbol::Of("MWG"), 1'478'000'000, 0.85},
      {Symbol::Of("PLX"), 1'270'592'235, 0.09},
      {Symbol::Of("SAB"), 1'282'600'000, 0.10},
      {Symbol::Of("SHB"), 4'017'000'000, 0.85},
      {Symbol::Of("SSB"), 2'830'000'000, 0.50},
      {Symbol::Of("SSI"), 1'960'000'000, 0.75},
      {Symbol::Of("STB"), 1'885'215'716, 0.95},
      {Symbol::Of("TCB"), 7'085'000'000, 0.65},
      {Symbol::Of("TPB"), 2'642'000'000, 0.50},
      {Symbol::Of("VCB"), 8'355'675'094, 0.10},
      {Symbol::Of("VHM"), 4'107'000'000, 0.30},
      {Symbol::Of("VIB"), 2'979'000'000, 0.40},
      {Symbol::Of("VIC"), 3'824'000'000, 0.35},
      {Symbol::Of("VJC"), 541'611'334, 0.45},
      {Symbol::Of("VNM"), 2'089'955'445, 0.35},
      {Symbol::Of("VPB"), 7'933'923'601, 0.70},
      {Symbol::Of("VRE"), 2'272'318'410, 0.40},
  };
  // clang-format on
  return weights;
}

}  // namespace vnt::core
