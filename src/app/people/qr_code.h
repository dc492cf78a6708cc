#pragma once

#include <string>
#include <string_view>

namespace sb::app {

// `text` as a QR code (libqrencode, error correction M) drawn as a standalone SVG image: one
// path of dark modules on a white square with the standard four-module quiet zone. Empty
// when the text is too long for a QR code.
std::string QrCodeSvg(std::string_view text);

}  // namespace sb::app
