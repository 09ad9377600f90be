#pragma once
// Fields -> typed event: the header (symbol, trading date, time, session) and each channel's event built
// from one Content's FieldSet, shared by the fast and the general path. Prices, volumes and values must
// not be negative; a field that is absent stays absent (never a made-up zero).

#include "feed/decoder_internal.h"
#include "feed/fields.h"

namespace vnt::feed::internal {

// Appends the `channel` event that `fields` describe to out.events, marked `repaired` when the text
// needed RepairJson; on a missing or invalid field, the failure and no event.
Status BuildEvent(Channel channel, const FieldSet& fields, bool repaired, DecodeOutput& out);

}  // namespace vnt::feed::internal
