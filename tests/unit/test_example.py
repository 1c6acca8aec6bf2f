"""The example helpers: the chat part read back from a dict, and written the same as before."""

from nanodex.dataset.example import Example, assistant_text, make_example, prompt_messages, system_text, user_text


def test_example_round_trips_and_reads_examples_without_a_system_prompt():
    ex = make_example("sys", "What is a flake?", "A directory with a flake.nix.", "c", "s", [], "g")
    assert ex["messages"] == [{"role": "system", "content": "sys"}, {"role": "user", "content": "What is a flake?"},
                              {"role": "assistant", "content": "A directory with a flake.nix."}]
    qa = Example.of(ex)
    assert (qa.system, qa.question, qa.answer) == ("sys", "What is a flake?", "A directory with a flake.nix.")
    assert qa.messages() == ex["messages"] and prompt_messages(ex) == ex["messages"][:2]
    bare = {"messages": Example("Why?", "Because.").messages()}
    assert system_text(bare) is None and user_text(bare) == "Why?" and assistant_text(bare) == "Because."
