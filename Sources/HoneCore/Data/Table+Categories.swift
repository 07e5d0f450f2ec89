/// Category dictionaries that travel with a model, so that a file read later encodes its
/// categories with the codes the model was trained on.
///
/// Each CSV file dictionary-encodes its own strings in order of first appearance, so the
/// same category can get different codes in a training and a scoring file. A model trained
/// on codes records its training table's ``categoryLists`` and re-encodes every later
/// table with ``encodingCategories(_:)`` before reading features.
extension Table {
  /// The category names of every categorical column, by column name.
  public var categoryLists: [String: [String]] {
    var lists: [String: [String]] = [:]
    for column in columns {
      if case .categorical(_, let categories) = column.values { lists[column.name] = categories }
    }
    return lists
  }

  /// A copy in which each column named in `categories` is categorical with exactly that
  /// category list, every value mapped to its position in it by its text; values not in
  /// the list become missing.
  ///
  /// A column read as numbers (a scoring file whose categories all look like numbers)
  /// is matched by its text too, so `7` (or `7.0`) finds the category `"7"`.
  ///
  /// ```swift
  /// let lists = training.categoryLists            // saved with the model
  /// let (scoring, unseen) = try fresh.encodingCategories(lists)
  /// ```
  ///
  /// - Parameter categories: Category lists by column name; names the table lacks are
  ///   skipped (the caller reports missing feature columns when it selects them).
  /// - Returns: The re-encoded table, and for each column with values outside its list,
  ///   how many rows held one.
  /// - Throws: ``TableError`` when a list repeats a category.
  public func encodingCategories(_ categories: [String: [String]]) throws -> (table: Table, unseen: [String: Int]) {
    var table = self
    var unseen: [String: Int] = [:]
    for name in categories.keys.sorted() {
      guard let list = categories[name], let column = self[name] else { continue }
      var positions: [String: Int32] = [:]
      positions.reserveCapacity(list.count)
      for (index, category) in list.enumerated() {
        if positions.updateValue(Int32(index), forKey: category) != nil {
          throw TableError("the category list of `\(name)` repeats `\(category)`; each category must appear once")
        }
      }
      var codes = [Int32](repeating: -1, count: rowCount)
      var outside = 0
      if case .categorical(let own, let ownCategories) = column.values {
        // Translate the file's codes once per category rather than once per row.
        let translation = ownCategories.map { positions[$0] ?? -1 }
        for row in 0..<rowCount where own[row] >= 0 {
          codes[row] = translation[Int(own[row])]
          if codes[row] < 0 { outside += 1 }
        }
      } else {
        let numbers = column.type == .float ? column.doubleValues : nil
        for row in 0..<rowCount {
          guard let text = column.text(at: row) else { continue }
          var code = positions[text]
          // A float column prints 7 as "7.0"; the category is more likely "7".
          if code == nil, let value = numbers?[row], let whole = Int64(exactly: value) {
            code = positions[String(whole)]
          }
          codes[row] = code ?? -1
          if codes[row] < 0 { outside += 1 }
        }
      }
      if outside > 0 { unseen[name] = outside }
      table = try table.setting(try Column(name: name, values: .categorical(codes: codes, categories: list)))
    }
    return (table, unseen)
  }
}
