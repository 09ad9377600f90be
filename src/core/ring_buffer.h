#pragma once
// A bounded FIFO that overwrites its oldest element when full. Storage grows on demand up to the capacity
// (so a symbol that never trades costs nothing) and is never released: no allocation in the steady state.

#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace vnt::core {

template <class T>
class RingBuffer {
 public:
  // A ring holding at most `capacity` elements (capacity >= 1).
  explicit RingBuffer(std::size_t capacity = 1) : cap_(capacity == 0 ? 1 : capacity) {}

  // Appends v; when full, the oldest element is dropped first.
  void push_back(const T& v) { Push(v); }
  void push_back(T&& v) { Push(std::move(v)); }
  // Removes the oldest element. Precondition: !empty().
  void pop_front() {
    assert(size_ > 0);
    head_ = Wrap(head_ + 1);
    --size_;
  }
  // Element i counted from the oldest (0) to the newest (size()-1).
  const T& operator[](std::size_t i) const { return buf_[Wrap(head_ + i)]; }
  T& operator[](std::size_t i) { return buf_[Wrap(head_ + i)]; }
  // Oldest element. Precondition: !empty().
  const T& front() const { return (*this)[0]; }
  // Newest element. Precondition: !empty().
  const T& back() const { return (*this)[size_ - 1]; }
  T& back() { return (*this)[size_ - 1]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t capacity() const { return cap_; }
  // Forgets every element but keeps the storage.
  void clear() {
    head_ = 0;
    size_ = 0;
  }

 private:
  template <class U>
  void Push(U&& v) {
    if (size_ == cap_) {
      buf_[head_] = std::forward<U>(v);
      head_ = Wrap(head_ + 1);
      return;
    }
    if (size_ == buf_.size()) Grow();
    buf_[Wrap(head_ + size_)] = std::forward<U>(v);
    ++size_;
  }
  std::size_t Wrap(std::size_t i) const {
    const std::size_t n = buf_.size();
    return i >= n ? i - n : i;
  }
  // Doubles the storage (bounded by the capacity), re-linearising so the oldest element is at index 0.
  void Grow() {
    std::size_t n = buf_.empty() ? 8 : buf_.size() * 2;
    if (n > cap_) n = cap_;
    std::vector<T> next(n);
    for (std::size_t i = 0; i < size_; ++i) next[i] = std::move(buf_[Wrap(head_ + i)]);
    buf_.swap(next);
    head_ = 0;
  }

  std::vector<T> buf_;
  std::size_t cap_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace vnt::core
