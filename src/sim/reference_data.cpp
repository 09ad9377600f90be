#include "sim/reference_data.h"

#include <stdexcept>

#include "sim/market_rules.h"

namespace vnt::sim {

const std::vector<StockSpec>& DefaultVn30Stocks() {
  // symbol, name, English name, ref VND, shares, free float, foreign limit, foreign owned, liquidity.
  // Orders of magnitude from 2025 annual reports and HOSE data; rounded, not official.
  static const std::vector<StockSpec> kStocks = {
      {"ACB", "Ngân hàng TMCP Á Châu", "Asia Commercial Joint Stock Bank", 24500, 5'136'656'599, 0.85, 0.30,
       0.2999, 1.4},
      {"BCM", "Tổng Công ty Đầu tư và Phát triển Công nghiệp - CTCP", "Becamex IDC Corp", 68000,
       1'035'000'000, 0.05, 0.49, 0.02, 0.3},
      {"BID", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam", "BIDV", 38000, 7'021'361'917, 0.10, 0.30, 0.17,
       1.0},
      {"BVH", "Tập đoàn Bảo Việt", "Bao Viet Holdings", 52000, 742'322'764, 0.10, 0.49, 0.25, 0.4},
      {"CTG", "Ngân hàng TMCP Công Thương Việt Nam", "VietinBank", 40000, 5'369'991'748, 0.15, 0.30, 0.27,
       1.1},
      {"FPT", "Công ty Cổ phần FPT", "FPT Corporation", 105000, 1'471'069'236, 0.80, 0.49, 0.49, 1.3},
      {"GAS", "Tổng Công ty Khí Việt Nam - CTCP", "PetroVietnam Gas", 68000, 2'342'675'461, 0.05, 0.49, 0.02,
       0.5},
      {"GVR", "Tập đoàn Công nghiệp Cao su Việt Nam - CTCP", "Vietnam Rubber Group", 30000, 4'000'000'000,
       0.05, 0.49, 0.005, 0.6},
      {"HDB", "Ngân hàng TMCP Phát triển TP.HCM", "HDBank", 28000, 3'503'067'000, 0.65, 0.175, 0.17, 1.0},
      {"HPG", "Công ty Cổ phần Tập đoàn Hòa Phát", "Hoa Phat Group", 27000, 7'675'465'855, 0.55, 0.49, 0.22,
       2.0},
      {"LPB", "Ngân hàng TMCP Lộc Phát Việt Nam", "LPBank", 38000, 2'987'467'000, 0.65, 0.30, 0.01, 0.7},
      {"MBB", "Ngân hàng TMCP Quân đội", "Military Commercial Joint Stock Bank", 25000, 6'103'090'000, 0.75,
       0.23, 0.2299, 1.6},
      {"MSN", "Công ty Cổ phần Tập đoàn Masan", "Masan Group", 78000, 1'438'500'000, 0.45, 0.49, 0.30, 1.0},
      {"MWG", "Công ty Cổ phần Đầu tư Thế Giới Di Động", "Mobile World Investment", 72000, 1'478'000'000,
       0.85, 0.49, 0.4899, 1.2},
      {"PLX", "Tập đoàn Xăng dầu Việt Nam", "Petrolimex", 36000, 1'270'592'235, 0.09, 0.20, 0.17, 0.4},
      {"SAB", "Tổng Công ty Cổ phần Bia - Rượu - Nước giải khát Sài Gòn", "Sabeco", 48000, 1'282'600'000,
       0.10, 1.00, 0.56, 0.3},
      {"SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội", "SHB", 13000, 4'017'000'000, 0.85, 0.30, 0.05, 1.8},
      {"SSB", "Ngân hàng TMCP Đông Nam Á", "SeABank", 18000, 2'830'000'000, 0.50, 0.30, 0.05, 0.6},
      {"SSI", "Công ty Cổ phần Chứng khoán SSI", "SSI Securities Corporation", 27500, 1'960'000'000, 0.75,
       1.00, 0.40, 1.7},
      {"STB", "Ngân hàng TMCP Sài Gòn Thương Tín", "Sacombank", 42000, 1'885'215'716, 0.95, 0.30, 0.22, 1.5},
      {"TCB", "Ngân hàng TMCP Kỹ Thương Việt Nam", "Techcombank", 35000, 7'085'000'000, 0.65, 0.225, 0.2249,
       1.3},
      {"TPB", "Ngân hàng TMCP Tiên Phong", "TPBank", 16000, 2'642'000'000, 0.50, 0.30, 0.28, 0.9},
      {"VCB", "Ngân hàng TMCP Ngoại thương Việt Nam", "Vietcombank", 62000, 8'355'675'094, 0.10, 0.30, 0.235,
       0.9},
      {"VHM", "Công ty Cổ phần Vinhomes", "Vinhomes", 85000, 4'107'000'000, 0.30, 0.49, 0.12, 1.4},
      {"VIB", "Ngân hàng TMCP Quốc tế Việt Nam", "Vietnam International Bank", 19000, 2'979'000'000, 0.40,
       0.205, 0.2049, 0.7},
      {"VIC", "Tập đoàn Vingroup - Công ty CP", "Vingroup", 140000, 3'824'000'000, 0.35, 0.49, 0.05, 1.2},
      {"VJC", "Công ty Cổ phần Hàng không VietJet", "Vietjet Aviation", 100000, 541'611'334, 0.45, 0.34, 0.18,
       0.5},
      {"VNM", "Công ty Cổ phần Sữa Việt Nam", "Vinamilk", 62000, 2'089'955'445, 0.35, 1.00, 0.50, 1.0},
      {"VPB", "Ngân hàng TMCP Việt Nam Thịnh Vượng", "VPBank", 20000, 7'933'923'601, 0.70, 0.25, 0.2499, 1.6},
      {"VRE", "Công ty Cổ phần Vincom Retail", "Vincom Retail", 30000, 2'272'318'410, 0.40, 0.49, 0.28, 0.9},
  };
  return kStocks;
}

std::vector<StockInfo> MakeStocks(const std::vector<StockSpec>& specs) {
  std::vector<StockInfo> out;
  out.reserve(specs.size());
  for (const StockSpec& s : specs) {
    StockInfo info;
    if (!Symbol::Make(s.symbol, &info.symbol))
      throw std::invalid_argument("bad stock symbol '" + s.symbol + "'");
    const Price ref = Price::FromInt(s.ref_vnd);
    if (!OnGrid(Market::kHose, ref))
      throw std::invalid_argument(s.symbol + ": reference price off the tick grid");
    if (s.shares <= 0) throw std::invalid_argument(s.symbol + ": shares must be positive");
    const auto ratio_ok = [](double r) { return r >= 0 && r <= 1; };
    if (!ratio_ok(s.free_float) || !ratio_ok(s.foreign_limit) || !ratio_ok(s.foreign_owned) ||
        s.foreign_owned > s.foreign_limit || s.liquidity < 0) {
      throw std::invalid_argument(s.symbol + ": ratio outside 0..1 or foreign_owned > foreign_limit");
    }
    info.name = s.name;
    info.en_name = s.en_name;
    info.exchange = "HOSE";
    info.ref = ref;
    const PriceLimits l = DailyLimits(Market::kHose, ref);
    info.ceiling = l.ceiling;
    info.floor = l.floor;
    info.shares = s.shares;
    info.free_float = s.free_float;
    info.foreign_limit = s.foreign_limit;
    info.total_room = Volume{static_cast<std::int64_t>(static_cast<double>(s.shares) * s.foreign_limit)};
    const Volume held{static_cast<std::int64_t>(static_cast<double>(s.shares) * s.foreign_owned)};
    info.current_room_open = info.total_room > held ? info.total_room - held : Volume{};
    info.liquidity = s.liquidity;
    out.push_back(std::move(info));
  }
  return out;
}

double IndexInfo::Compute(const std::vector<double>& prices_vnd) const {
  double sum = 0;
  for (std::size_t i = 0; i < factors.size(); ++i) sum += prices_vnd[i] * factors[i];
  return sum / divisor;
}

namespace {

IndexInfo Normalise(IndexInfo idx, const std::vector<StockInfo>& stocks) {
  std::vector<double> refs;
  for (std::size_t i : idx.stock_index) refs.push_back(stocks[i].ref.ToDouble());
  idx.divisor = 1;
  const double raw = idx.Compute(refs);
  idx.divisor = raw / idx.prior_value.ToDouble();
  return idx;
}

}  // namespace

IndexInfo MakeCappedIndex(std::string id, std::string name, const std::vector<StockInfo>& stocks,
                          Price prior_value, double cap) {
  IndexInfo idx;
  idx.id = Symbol::Of(id);
  idx.name = std::move(name);
  idx.exchange = "HOSE";
  idx.prior_value = prior_value;
  const std::size_t n = stocks.size();
  std::vector<double> mcap(n);
  for (std::size_t i = 0; i < n; ++i) {
    idx.components.push_back(stocks[i].symbol);
    idx.stock_index.push_back(i);
    mcap[i] = stocks[i].ref.ToDouble() * static_cast<double>(stocks[i].shares) * stocks[i].free_float;
  }
  // Iterative capping: fix every stock above the cap at exactly the cap, spread the rest over the others
  // in proportion to their free-float cap, repeat until no uncapped stock exceeds the cap.
  std::vector<bool> capped(n, false);
  if (cap * static_cast<double>(n) >= 1.0) {
    for (;;) {
      double free_sum = 0;
      std::size_t n_capped = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (capped[i])
          ++n_capped;
        else
          free_sum += mcap[i];
      }
      const double free_weight = 1.0 - cap * static_cast<double>(n_capped);
      bool changed = false;
      for (std::size_t i = 0; i < n; ++i) {
        if (!capped[i] && mcap[i] / free_sum * free_weight > cap) {
          capped[i] = true;
          changed = true;
        }
      }
      if (!changed) {
        // Cap factor: capped weight / uncapped weight, relative to the uncapped stocks (factor 1).
        for (std::size_t i = 0; i < n; ++i) {
          idx.cap.push_back(capped[i] ? cap * free_sum / (free_weight * mcap[i]) : 1.0);
        }
        break;
      }
    }
  } else {
    idx.cap.assign(n, 1.0);
  }
  for (std::size_t i = 0; i < n; ++i) {
    idx.factors.push_back(static_cast<double>(stocks[i].shares) * stocks[i].free_float * idx.cap[i]);
  }
  return Normalise(std::move(idx), stocks);
}

IndexInfo MakeMarketCapIndex(std::string id, std::string name, const std::vector<StockInfo>& stocks,
                             Price prior_value) {
  IndexInfo idx;
  idx.id = Symbol::Of(id);
  idx.name = std::move(name);
  idx.exchange = "HOSE";
  idx.prior_value = prior_value;
  for (std::size_t i = 0; i < stocks.size(); ++i) {
    idx.components.push_back(stocks[i].symbol);
    idx.stock_index.push_back(i);
    idx.factors.push_back(static_cast<double>(stocks[i].shares));
    idx.cap.push_back(1.0);
  }
  return Normalise(std::move(idx), stocks);
}

}  // namespace vnt::sim
