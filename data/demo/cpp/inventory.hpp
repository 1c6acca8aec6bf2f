// inventory.hpp - in-memory stock keeping for the pantry service.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace pantry {

/// One row of the inventory: an item name and how many units are stored.
struct Entry {
    std::string name;
    int quantity = 0;
};

/// Keeps a count of every item in the pantry, keyed by name.
class Inventory {
public:
    virtual ~Inventory() = default;

    /// Adds `quantity` units of `name`, creating the entry if needed.
    virtual void add(const std::string& name, int quantity);

    /// Removes up to `quantity` units and returns how many were removed.
    int remove(const std::string& name, int quantity);

    /// Returns the number of units stored for `name` (0 if unknown).
    int count(const std::string& name) const;

    /// Returns all entries sorted by name.
    std::vector<Entry> entries() const;

protected:
    std::map<std::string, int> stock_;
};

/// An inventory that also remembers how many add operations happened.
class CountingInventory : public Inventory {
public:
    void add(const std::string& name, int quantity) override;

    /// Number of calls to add() so far.
    std::size_t additions() const { return additions_; }

private:
    std::size_t additions_ = 0;
};

/// Sums the quantities of all entries.
int totalUnits(const std::vector<Entry>& entries);

}  // namespace pantry
