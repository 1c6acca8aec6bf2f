// inventory.cpp - definitions for pantry::Inventory and friends.
#include "inventory.hpp"

#include <algorithm>
#include <numeric>

namespace pantry {

void Inventory::add(const std::string& name, int quantity) {
    if (quantity <= 0) {
        return;
    }
    stock_[name] += quantity;
}

int Inventory::remove(const std::string& name, int quantity) {
    auto it = stock_.find(name);
    if (it == stock_.end()) {
        return 0;
    }
    const int taken = std::min(quantity, it->second);
    it->second -= taken;
    if (it->second == 0) {
        stock_.erase(it);
    }
    return taken;
}

int Inventory::count(const std::string& name) const {
    auto it = stock_.find(name);
    return it == stock_.end() ? 0 : it->second;
}

std::vector<Entry> Inventory::entries() const {
    std::vector<Entry> out;
    out.reserve(stock_.size());
    for (const auto& [name, quantity] : stock_) {
        out.push_back(Entry{name, quantity});
    }
    return out;
}

void CountingInventory::add(const std::string& name, int quantity) {
    ++additions_;
    Inventory::add(name, quantity);
}

int totalUnits(const std::vector<Entry>& entries) {
    return std::accumulate(entries.begin(), entries.end(), 0,
                           [](int sum, const Entry& e) { return sum + e.quantity; });
}

}  // namespace pantry
