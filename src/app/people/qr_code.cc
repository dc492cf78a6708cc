#include "app/people/qr_code.h"

#include <qrencode.h>

#include <memory>

namespace sb::app {

std::string QrCodeSvg(std::string_view text) {
  const std::string terminated(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(terminated.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!code) return {};
  const int width = code->width;
  const int size = width + 8;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if (code->data[y * width + x] & 1) {  // bit 0: a dark module
        path += 'M' + std::to_string(x + 4) + ' ' + std::to_string(y + 4) + "h1v1h-1z";
      }
    }
  }
  const std::string box = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + box + ' ' + box +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + box + "\" height=\"" + box +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace sb::app
