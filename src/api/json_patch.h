#pragma once
// Field-level patches between two versions of a compact JSON object (as JsonWriter writes them), for
// WebSocket deltas that carry only what changed. A patch holds the members of `next` whose text differs
// from `prev`; nested objects are patched member by member, arrays and scalars are replaced whole, and a
// member that disappeared is sent as null. A client applies it with a deep merge of objects.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vnt::api {

// The members of a JSON object as (key, raw value text), in order. False when `obj` is not a JSON
// object of the compact shape JsonWriter writes (keys without escapes; values may be anything).
bool SplitMembers(std::string_view obj, std::vector<std::pair<std::string_view, std::string_view>>* out);

// The elements of a JSON array as raw value texts, in order; false when `arr` is not an array.
bool SplitElements(std::string_view arr, std::vector<std::string_view>* out);

// Appends the patch that turns `prev` into `next` (a JSON object) to *out and returns true, or appends
// nothing and returns false when they are equal. When either text cannot be split, the patch is `next`.
bool AppendObjectPatch(std::string_view prev, std::string_view next, std::string* out);

}  // namespace vnt::api
