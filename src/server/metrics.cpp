#include "server/metrics.h"

#include <cmath>
#include <cstdio>

namespace vnt::server {

void Histogram::Observe(double v) {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  ++counts_[i];
  sum_ += v;
  ++count_;
}

void Registry::Declare(const std::string& name, const std::string& type, const std::string& help) {
  Family& f = families_[name];
  f.type = type;
  f.help = help;
}

void Registry::Add(const std::string& name, const Labels& labels, double v) {
  families_[name].values[labels] += v;
}
void Registry::Set(const std::string& name, const Labels& labels, double v) {
  families_[name].values[labels] = v;
}
void Registry::DeclareHistogram(const std::string& name, const std::string& help,
                                std::vector<double> bounds) {
  Family& f = families_[name];
  f.type = "histogram";
  f.help = help;
  f.bounds = std::move(bounds);
}
void Registry::Observe(const std::string& name, const Labels& labels, double v) {
  Family& f = families_[name];
  auto it = f.histograms.find(labels);
  if (it == f.histograms.end()) it = f.histograms.emplace(labels, Histogram(f.bounds)).first;
  it->second.Observe(v);
}
void Registry::Touch(const std::string& name, const Labels& labels) {
  Family& f = families_[name];
  if (f.type == "histogram") {
    f.histograms.try_emplace(labels, Histogram(f.bounds));
  } else if (f.callbacks.count(labels) == 0) {
    f.values.try_emplace(labels, 0.0);
  }
}
void Registry::Observe(const std::string& name, const Labels& labels, double v,
                       const std::vector<double>& bounds) {
  auto& hs = families_[name].histograms;
  auto it = hs.find(labels);
  if (it == hs.end()) it = hs.emplace(labels, Histogram(bounds)).first;
  it->second.Observe(v);
}
void Registry::Callback(const std::string& name, const Labels& labels, std::function<double()> fn) {
  families_[name].callbacks[labels] = std::move(fn);
}
void Registry::HistogramCallback(const std::string& name, std::function<Histogram()> fn) {
  families_[name].histogram_callback = std::move(fn);
}

namespace {
std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
std::string LabelText(const Labels& labels, const std::string& extra_key = "",
                      const std::string& extra_val = "") {
  if (labels.empty() && extra_key.empty()) return "";
  std::string s = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) s += ",";
    first = false;
    s += k + "=\"" + Escape(v) + "\"";
  }
  if (!extra_key.empty()) {
    if (!first) s += ",";
    s += extra_key + "=\"" + extra_val + "\"";
  }
  return s + "}";
}
std::string Num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
void RenderHistogram(std::string& out, const std::string& name, const Labels& labels, const Histogram& h) {
  std::uint64_t cum = 0;
  for (std::size_t i = 0; i < h.bounds().size(); ++i) {
    cum += h.counts()[i];
    out += name + "_bucket" + LabelText(labels, "le", Num(h.bounds()[i])) + " " + std::to_string(cum) + "\n";
  }
  cum += h.counts().back();
  out += name + "_bucket" + LabelText(labels, "le", "+Inf") + " " + std::to_string(cum) + "\n";
  out += name + "_sum" + LabelText(labels) + " " + Num(h.sum()) + "\n";
  out += name + "_count" + LabelText(labels) + " " + std::to_string(h.count()) + "\n";
}
}  // namespace

std::string Registry::Render() const {
  std::string out;
  out.reserve(16 << 10);
  for (const auto& [name, f] : families_) {
    if (f.values.empty() && f.histograms.empty() && f.callbacks.empty() && !f.histogram_callback) continue;
    out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + f.type + "\n";
    for (const auto& [labels, v] : f.values) out += name + LabelText(labels) + " " + Num(v) + "\n";
    for (const auto& [labels, fn] : f.callbacks) out += name + LabelText(labels) + " " + Num(fn()) + "\n";
    for (const auto& [labels, h] : f.histograms) RenderHistogram(out, name, labels, h);
    if (f.histogram_callback) RenderHistogram(out, name, {}, f.histogram_callback());
  }
  return out;
}

}  // namespace vnt::server
