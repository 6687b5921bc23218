#include <stratus/ids.hpp>
#include <stratus/runtime/zip.hpp>

#include <dlfcn.h>
#include <sys/stat.h>
#include <zip.h>

#include <fstream>
#include <cstring>
#include <memory>
#include <vector>

namespace stratus::runtime {
namespace fs = std::filesystem;

namespace {

// libzip is loaded on first use (dlopen) rather than linked: it drags in a shared OpenSSL, bzip2
// and zlib whose pages a Stratus that never unpacks a Lambda package should not carry.
#define STRATUS_LIBZIP_FUNCTIONS(X) \
  X(zip_close) \
  X(zip_discard) \
  X(zip_error_fini) \
  X(zip_error_init) \
  X(zip_fclose) \
  X(zip_file_add) \
  X(zip_file_get_external_attributes) \
  X(zip_file_set_external_attributes) \
  X(zip_fopen_index) \
  X(zip_fread) \
  X(zip_get_num_entries) \
  X(zip_open_from_source) \
  X(zip_source_buffer) \
  X(zip_source_buffer_create) \
  X(zip_source_close) \
  X(zip_source_free) \
  X(zip_source_keep) \
  X(zip_source_open) \
  X(zip_source_read) \
  X(zip_stat_index) \
  X(zip_stat_init) \

struct LibZip {
#define STRATUS_LIBZIP_MEMBER(f) decltype(&::f) f = nullptr;
  STRATUS_LIBZIP_FUNCTIONS(STRATUS_LIBZIP_MEMBER)
#undef STRATUS_LIBZIP_MEMBER
};

const LibZip& lz() {
  static const LibZip lib = [] {
    LibZip l;
    void* h = dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libzip.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) throw ZipError(std::string("cannot load libzip (install libzip4): ") + dlerror());
#define STRATUS_LIBZIP_LOAD(f)                                          \
    l.f = reinterpret_cast<decltype(&::f)>(dlsym(h, #f));               \
    if (!l.f) throw ZipError("libzip has no " #f);
    STRATUS_LIBZIP_FUNCTIONS(STRATUS_LIBZIP_LOAD)
#undef STRATUS_LIBZIP_LOAD
    return l;
  }();
  return lib;
}

constexpr const char* kInvalid = "Could not unzip uploaded file. Please check your file, then try to upload again.";

struct Archive {
  zip_t* za = nullptr;
  explicit Archive(std::string_view bytes) {
    zip_error_t err;
    lz().zip_error_init(&err);
    zip_source_t* src = lz().zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (!src) throw ZipError(kInvalid);
    za = lz().zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!za) {
      lz().zip_source_free(src);
      lz().zip_error_fini(&err);
      throw ZipError(kInvalid);
    }
    lz().zip_error_fini(&err);
  }
  ~Archive() {
    if (za) lz().zip_discard(za);
  }
};

struct Entry {
  std::string name;
  uint64_t size = 0;
  bool dir = false, symlink = false, has_mode = false;
  mode_t mode = 0;
};

Entry entry_at(zip_t* za, zip_uint64_t i) {
  zip_stat_t st;
  lz().zip_stat_init(&st);
  if (lz().zip_stat_index(za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) throw ZipError(kInvalid);
  Entry e;
  e.name = st.name;
  e.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
  e.dir = !e.name.empty() && e.name.back() == '/';
  zip_uint8_t opsys = 0;
  zip_uint32_t attr = 0;
  if (lz().zip_file_get_external_attributes(za, i, 0, &opsys, &attr) == 0 && opsys == ZIP_OPSYS_UNIX) {
    e.mode = static_cast<mode_t>(attr >> 16);
    e.has_mode = e.mode != 0;
    e.symlink = S_ISLNK(e.mode);
    if (S_ISDIR(e.mode)) e.dir = true;
  }
  if (!safe_entry_name(e.name)) throw ZipError(kInvalid);
  return e;
}

std::string read_entry(zip_t* za, zip_uint64_t i, uint64_t size) {
  zip_file_t* zf = lz().zip_fopen_index(za, i, 0);
  if (!zf) throw ZipError(kInvalid);
  std::string data;
  data.resize(size);
  zip_int64_t got = size ? lz().zip_fread(zf, data.data(), size) : 0;
  lz().zip_fclose(zf);
  if (got < 0 || static_cast<uint64_t>(got) != size) throw ZipError(kInvalid);
  return data;
}

// A symlink target is acceptable when, resolved lexically from the link's directory, it stays inside.
bool safe_link(std::string_view entry, std::string_view target) {
  if (target.empty() || target.front() == '/') return false;
  fs::path base = fs::path(std::string(entry)).parent_path();
  fs::path resolved = (fs::path("root") / base / std::string(target)).lexically_normal();
  auto first = resolved.begin();
  return first != resolved.end() && *first == "root";
}

}  // namespace

bool safe_entry_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.front() == '\\') return false;
  if (name.find('\0') != std::string_view::npos || name.find('\\') != std::string_view::npos) return false;
  if (name.size() >= 2 && name[1] == ':') return false;  // "C:..."
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

ZipSummary inspect_zip(std::string_view bytes) {
  Archive a(bytes);
  ZipSummary s;
  zip_int64_t n = lz().zip_get_num_entries(a.za, 0);
  if (n < 0) throw ZipError(kInvalid);
  for (zip_int64_t i = 0; i < n; ++i) {
    Entry e = entry_at(a.za, static_cast<zip_uint64_t>(i));
    ++s.entries;
    s.unzipped_bytes += e.size;
  }
  return s;
}

ZipSummary extract_zip(std::string_view bytes, const fs::path& dest, uint64_t max_unzipped) {
  Archive a(bytes);
  zip_int64_t n = lz().zip_get_num_entries(a.za, 0);
  if (n < 0) throw ZipError(kInvalid);
  ZipSummary s;
  std::vector<Entry> entries;
  for (zip_int64_t i = 0; i < n; ++i) {
    entries.push_back(entry_at(a.za, static_cast<zip_uint64_t>(i)));
    s.unzipped_bytes += entries.back().size;
  }
  s.entries = entries.size();
  if (s.unzipped_bytes > max_unzipped)
    throw ZipError("Unzipped size must be smaller than " + std::to_string(max_unzipped) + " bytes");
  fs::path tmp = dest;
  tmp += ".tmp-" + ids::upper_alnum(8);
  std::error_code ec;
  fs::create_directories(tmp, ec);
  if (ec) throw ZipError("cannot create " + tmp.string() + ": " + ec.message());
  try {
    for (size_t i = 0; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      fs::path out = tmp / e.name;
      if (e.dir) {
        fs::create_directories(out);
        continue;
      }
      fs::create_directories(out.parent_path());
      std::string data = read_entry(a.za, i, e.size);
      if (e.symlink) {
        if (!safe_link(e.name, data)) throw ZipError(kInvalid);
        fs::remove(out, ec);
        fs::create_symlink(data, out);
        continue;
      }
      {
        std::ofstream f(out, std::ios::binary | std::ios::trunc);
        if (!f) throw ZipError("cannot write " + out.string());
        f.write(data.data(), static_cast<std::streamsize>(data.size()));
      }
      // Unix modes are kept as they are: a bootstrap zipped without its execute bit fails as on
      // Lambda ("fork/exec /var/task/bootstrap: permission denied"). Archives with no Unix modes at
      // all (zipped on Windows) get executable bootstraps and bin/ entries rather than a dead end.
      mode_t mode = e.has_mode ? (e.mode & 07777) : 0644;
      if (!e.has_mode && (out.filename() == "bootstrap" || e.name.find("/bin/") != std::string::npos)) mode |= 0755;
      mode |= 0600;  // always readable and removable by Stratus
      ::chmod(out.c_str(), mode);
    }
    fs::remove_all(dest, ec);
    fs::rename(tmp, dest);
  } catch (const ZipError&) {
    fs::remove_all(tmp, ec);
    throw;
  } catch (const std::exception& ex) {
    fs::remove_all(tmp, ec);
    throw ZipError(kInvalid);
  }
  return s;
}

std::string make_zip(const std::vector<std::pair<std::string, std::string>>& files, bool executable) {
  zip_error_t err;
  lz().zip_error_init(&err);
  zip_source_t* buf = lz().zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_t* za = lz().zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  if (!za) {
    lz().zip_source_free(buf);
    throw ZipError("cannot create zip");
  }
  lz().zip_source_keep(buf);
  for (auto& [name, content] : files) {
    // libzip copies nothing until zip_close: keep the bytes alive in a source it frees itself.
    void* copy = std::malloc(content.size() ? content.size() : 1);
    std::memcpy(copy, content.data(), content.size());
    zip_source_t* fs = lz().zip_source_buffer(za, copy, content.size(), 1);
    zip_int64_t idx = lz().zip_file_add(za, name.c_str(), fs, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      lz().zip_source_free(fs);
      continue;
    }
    mode_t mode = S_IFREG | (executable || name == "bootstrap" ? 0755 : 0644);
    lz().zip_file_set_external_attributes(za, static_cast<zip_uint64_t>(idx), 0, ZIP_OPSYS_UNIX,
                                     static_cast<zip_uint32_t>(mode) << 16);
  }
  if (lz().zip_close(za) != 0) {
    lz().zip_discard(za);
    lz().zip_source_free(buf);
    throw ZipError("cannot write zip");
  }
  std::string out;
  if (lz().zip_source_open(buf) == 0) {
    char tmp[65536];
    zip_int64_t n;
    while ((n = lz().zip_source_read(buf, tmp, sizeof tmp)) > 0) out.append(tmp, static_cast<size_t>(n));
    lz().zip_source_close(buf);
  }
  lz().zip_source_free(buf);
  return out;
}

}  // namespace stratus::runtime
