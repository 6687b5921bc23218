#include <stratus/http.hpp>
#include <stratus/strings.hpp>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace stratus {

const std::string* Headers::get(std::string_view name) const {
  for (auto& [k, v] : *this)
    if (iequals(k, name)) return &v;
  return nullptr;
}

std::string_view Headers::get_or(std::string_view name, std::string_view def) const {
  auto* v = get(name);
  return v ? std::string_view(*v) : def;
}

void Headers::set(std::string_view name, std::string value) {
  remove(name);
  emplace_back(std::string(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(*this, [&](const Header& h) { return iequals(h.first, name); });
}

struct Payload::FileRef {
  std::filesystem::path path;
  bool temporary;
  ~FileRef() {
    if (temporary) {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  }
};

Payload Payload::from_file(std::filesystem::path p, uint64_t offset, uint64_t length, bool temporary) {
  Payload pl;
  pl.kind_ = Kind::file;
  // Not make_shared<FileRef>(FileRef{...}): the temporary's destructor would delete the file.
  pl.file_ = std::make_shared<FileRef>();
  pl.file_->path = std::move(p);
  pl.file_->temporary = temporary;
  pl.offset_ = offset;
  pl.length_ = length;
  return pl;
}

Payload Payload::from_stream(Generator g, std::optional<uint64_t> length) {
  Payload pl;
  pl.kind_ = Kind::stream;
  pl.gen_ = std::move(g);
  pl.stream_length_ = length;
  return pl;
}

uint64_t Payload::size() const {
  switch (kind_) {
    case Kind::memory: return data_.size();
    case Kind::file: return length_;
    case Kind::stream: return stream_length_ ? *stream_length_ : UINT64_MAX;
  }
  return 0;
}

const std::filesystem::path& Payload::path() const {
  static const std::filesystem::path kEmpty;
  return file_ ? file_->path : kEmpty;
}

std::string Payload::read_all() const {
  if (kind_ == Kind::memory) return data_;
  if (kind_ == Kind::stream) throw std::logic_error("read_all on a stream payload");
  std::ifstream in(file_->path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + file_->path.string());
  in.seekg(static_cast<std::streamoff>(offset_));
  std::string s(length_, '\0');
  in.read(s.data(), static_cast<std::streamsize>(length_));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

void Payload::commit_to(const std::filesystem::path& dest) {
  if (kind_ == Kind::file && file_ && file_->temporary && offset_ == 0) {
    std::filesystem::rename(file_->path, dest);
    file_->temporary = false;
    file_->path = dest;
    return;
  }
  std::string tmp = dest.string() + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (kind_ == Kind::memory) {
      out.write(data_.data(), static_cast<std::streamsize>(data_.size()));
    } else if (kind_ == Kind::file) {
      std::string all = read_all();
      out.write(all.data(), static_cast<std::streamsize>(all.size()));
    } else {
      throw std::logic_error("commit_to on a stream payload");
    }
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, dest);
}

const std::string* HttpRequest::query_param(std::string_view name) const {
  for (auto& [k, v] : query)
    if (k == name) return &v;
  return nullptr;
}

}  // namespace stratus
