# String helpers used by the pantry Nix expressions.
{ lib }:

rec {
  /**
    Join a list of words with a separator.

    # Example

    ```nix
    joinWords ", " [ "rice" "beans" ]
    => "rice, beans"
    ```
  */
  joinWords = sep: words: lib.concatStringsSep sep words;

  # Upper-case a string.
  shout = s: lib.toUpper s;

  # Default greeting shown by the pantry CLI.
  greeting = "hello";

  # The greeting, shouted.
  loudGreeting = shout greeting;

  # A comma-separated shopping list.
  shoppingList = items: joinWords ", " items;
}
