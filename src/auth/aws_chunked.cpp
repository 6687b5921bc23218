// aws-chunked request bodies (S3 streaming uploads): decoded as they arrive, chunk signatures
// verified when a signer is given, trailing headers (checksums) collected.
#include <stratus/crypto.hpp>
#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

namespace stratus::sigv4 {
namespace {
AwsError incomplete(std::string_view why) {
  return AwsError("IncompleteBody", "The request body terminated unexpectedly (" + std::string(why) + ")", 400);
}
AwsError bad_signature() {
  return AwsError("SignatureDoesNotMatch",
                  "The request signature we calculated does not match the signature you provided. Check your key "
                  "and signing method.",
                  403);
}
constexpr size_t kMaxLine = 8192;
}  // namespace

ChunkedDecoder::ChunkedDecoder(std::optional<ChunkSigner> signer) : signer_(std::move(signer)) {}

void ChunkedDecoder::on_size_line(std::string_view line) {
  auto semi = line.find(';');
  std::string_view hex = trim(line.substr(0, semi));
  chunk_signature_.clear();
  if (semi != std::string_view::npos) {
    for (auto ext : split(line.substr(semi + 1), ';')) {
      ext = trim(ext);
      if (ext.substr(0, 16) == "chunk-signature=") chunk_signature_ = std::string(ext.substr(16));
    }
  }
  if (hex.empty() || hex.size() > 15) throw incomplete("bad chunk size");
  uint64_t size = 0;
  for (char c : hex) {
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (v < 0) throw incomplete("bad chunk size");
    size = size * 16 + static_cast<uint64_t>(v);
  }
  remaining_ = size;
  if (signer_) {
    if (chunk_signature_.empty()) throw bad_signature();
    hash_ = std::make_shared<crypto::Digest>(crypto::Digest::Algo::sha256);
  }
  if (size == 0) {
    last_chunk_ = true;
    end_chunk();
    state_ = State::trailer_line;
  } else {
    state_ = State::data;
  }
}

void ChunkedDecoder::end_chunk() {
  if (!signer_) return;
  auto* d = static_cast<crypto::Digest*>(hash_.get());
  std::string expected = signer_->next(crypto::hex(d->finish()));
  if (!crypto::constant_time_equal(expected, to_lower(chunk_signature_))) throw bad_signature();
}

void ChunkedDecoder::on_trailer_line(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos) throw incomplete("bad trailer");
  std::string name = to_lower(trim(line.substr(0, colon)));
  std::string value(trim(line.substr(colon + 1)));
  if (name == "x-amz-trailer-signature") {
    trailer_signature_ = value;
    return;
  }
  canonical_trailers_ += name + ":" + value + "\n";
  trailers_.emplace_back(std::move(name), std::move(value));
}

void ChunkedDecoder::feed(std::string_view in, const std::function<void(std::string_view)>& sink) {
  while (!in.empty()) {
    switch (state_) {
      case State::size_line:
      case State::trailer_line: {
        auto nl = in.find('\n');
        std::string_view part = in.substr(0, nl == std::string_view::npos ? in.size() : nl);
        line_.append(part);
        if (line_.size() > kMaxLine) throw incomplete("line too long");
        if (nl == std::string_view::npos) return;
        in.remove_prefix(nl + 1);
        std::string line = std::move(line_);
        line_.clear();
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (state_ == State::size_line) {
          on_size_line(line);
        } else if (line.empty()) {
          if (signer_ && !trailers_.empty()) {
            std::string expected = signer_->trailer(canonical_trailers_);
            if (!crypto::constant_time_equal(expected, to_lower(trailer_signature_))) throw bad_signature();
          }
          state_ = State::done;
        } else {
          on_trailer_line(line);
        }
        break;
      }
      case State::data: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, in.size()));
        std::string_view piece = in.substr(0, n);
        if (signer_) static_cast<crypto::Digest*>(hash_.get())->update(piece);
        sink(piece);
        remaining_ -= n;
        decoded_ += n;
        in.remove_prefix(n);
        if (remaining_ == 0) {
          end_chunk();
          state_ = State::data_crlf;
        }
        break;
      }
      case State::data_crlf: {
        line_ += in.front();
        in.remove_prefix(1);
        if (line_ == "\r") break;
        if (line_ != "\r\n" && line_ != "\n") throw incomplete("missing chunk terminator");
        line_.clear();
        state_ = State::size_line;
        break;
      }
      case State::done: return;  // trailing bytes after the final CRLF are ignored
    }
  }
}

void ChunkedDecoder::finish() {
  if (state_ == State::done) return;
  // Some clients end right after the last chunk (or the trailers) without the final CRLF.
  if (state_ == State::trailer_line && last_chunk_) {
    if (!line_.empty()) {
      std::string line = std::move(line_);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) on_trailer_line(line);
    }
    if (signer_ && !trailers_.empty()) {
      std::string expected = signer_->trailer(canonical_trailers_);
      if (!crypto::constant_time_equal(expected, to_lower(trailer_signature_))) throw bad_signature();
    }
    state_ = State::done;
    return;
  }
  throw incomplete("missing final chunk");
}

}  // namespace stratus::sigv4
