#include "ssi/reference_tracker.h"

namespace vnt::ssi {

void ReferenceTracker::SetSymbols(const std::vector<std::string>& stocks,
                                  const std::vector<std::string>& futures) {
  symbols_.clear();
  for (const std::string& s : stocks) symbols_.emplace_back(s, "HOSE");
  for (const std::string& f : futures) symbols_.emplace_back(f, "DER");
}

std::string ReferenceTracker::Probe() const {
  return symbols_.empty() ? std::string("VN30") : symbols_.front().first;
}

void ReferenceTracker::StartRound(const std::string& date) {
  if (date != date_) {
    date_ = date;
    loaded_.clear();
  }
}

bool ReferenceTracker::Missing() const {
  for (const auto& [sym, market] : symbols_) {
    if (!loaded_.contains(sym)) return true;
  }
  return false;
}

Status ReferenceTracker::Outcome(std::size_t asked, std::size_t failed,
                                 const std::string& first_error) const {
  if (failed > 0 || Missing()) {
    return Error{ErrorCode::kUnavailable, "reference data: " + std::to_string(asked - loaded_.size()) +
                                              " of " + std::to_string(asked) + " symbols missing (" +
                                              first_error + ")"};
  }
  return Status{};
}

}  // namespace vnt::ssi
