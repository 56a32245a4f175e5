#!/usr/bin/env python3
"""Turns a command's --help text into a man page or shell completions.

Both swap-server (swift-argument-parser) and swap-lint (its own parser, same layout)
print help in one format: OVERVIEW, USAGE, ARGUMENTS, OPTIONS and SUBCOMMANDS
sections whose entries start two spaces in, with continuation lines further in. This
script reads that text from the binary itself, so the man page and the completions say
exactly what --help says.

    help2docs.py man BINARY            roff man page on stdout (section 1)
    help2docs.py completion SHELL BINARY
                                       bash, zsh or fish completion script on stdout

swap-server's completions come from swift-argument-parser
(--generate-completion-script); this script writes them for swap-lint, which parses
its own command line.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field


@dataclass
class Option:
    """One entry of OPTIONS: its spellings, value name, allowed values and help."""

    names: list
    value: str | None
    help: str
    values: list = field(default_factory=list)


@dataclass
class Help:
    """One command's parsed help text."""

    name: str
    abstract: str = ""
    discussion: list = field(default_factory=list)
    usage: str = ""
    arguments: list = field(default_factory=list)  # (name, help)
    options: list = field(default_factory=list)
    subcommands: list = field(default_factory=list)  # (name, help, is_default)


ENTRY = re.compile(r"^  (\S.*?)(?:\s{2,}(\S.*))?$")


def entries(lines):
    """Groups a section's lines into (head, help text) pairs."""
    result = []
    for line in lines:
        if not line.strip():
            continue
        match = ENTRY.match(line)
        if match and not line.startswith("   "):
            result.append([match.group(1).strip(), (match.group(2) or "").strip()])
        elif result:
            result[-1][1] = (result[-1][1] + " " + line.strip()).strip()
    return result


def parse(name, text):
    """Parses the help text of command `name`."""
    help_ = Help(name=name)
    section, paragraph, blocks = None, [], {}
    for line in text.splitlines():
        header = re.match(r"^([A-Z]+):(?: (.*))?$", line)
        if header:
            section = header.group(1)
            blocks[section] = [header.group(2)] if header.group(2) else []
            continue
        if section:
            blocks[section].append(line)
    overview = blocks.get("OVERVIEW", [])
    paragraphs, paragraph = [], []
    for line in overview:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    if paragraphs:
        help_.abstract, help_.discussion = paragraphs[0], paragraphs[1:]
    help_.usage = " ".join(line.strip() for line in blocks.get("USAGE", []) if line.strip())
    help_.arguments = [(head, text) for head, text in entries(blocks.get("ARGUMENTS", []))]
    for head, text in entries(blocks.get("OPTIONS", [])):
        names = [part.strip().split(" ")[0] for part in head.split(",")]
        value = re.search(r"<([^>]+)>", head)
        values = re.search(r"\(values: ([^;)]*)", text)
        help_.options.append(
            Option(
                names=names,
                value=value.group(1) if value else None,
                help=text,
                values=[v.strip() for v in values.group(1).split(",")] if values else [],
            )
        )
    for head, text in entries(blocks.get("SUBCOMMANDS", [])):
        if head.startswith("See "):
            continue
        command = head.split(" ")[0]
        help_.subcommands.append((command, text, "(default)" in head))
    return help_


def help_text(binary, *words):
    """The --help output of `binary words…`."""
    output = subprocess.run([binary, *words, "--help"], capture_output=True, text=True, check=False)
    text = output.stdout or output.stderr
    if "USAGE:" not in text:
        sys.exit(f"help2docs: `{binary} {' '.join(words)} --help` printed no USAGE section")
    return text


def load(binary):
    """The root help of `binary` and the help of each of its subcommands."""
    name = os.path.basename(binary)
    root = parse(name, help_text(binary))
    subs = [parse(f"{name} {sub}", help_text(binary, sub)) for sub, _, _ in root.subcommands]
    return root, subs


# --- man page --------------------------------------------------------------------------


def roff(text):
    """Escapes text for roff: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def man_options(options):
    lines = []
    for option in options:
        head = ", ".join(f"\\fB{roff(n)}\\fR" for n in option.names)
        if option.value:
            head += f" \\fI<{roff(option.value)}>\\fR"
        lines += [".TP", head, roff(option.help)]
    return lines


def man(binary):
    root, subs = load(binary)
    name = root.name
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    out = [
        f'.TH "{name.upper()}" "1" "" "{roff(name)} {roff(version)}" "User Commands"',
        ".nh",
        ".ad l",
        ".SH NAME",
        f"{roff(name)} \\- {roff(root.abstract)}",
        ".SH SYNOPSIS",
        f"\\fB{roff(root.usage)}\\fR",
    ]
    for sub in subs:
        out += [".br", f"\\fB{roff(sub.usage)}\\fR"]
    out += [".SH DESCRIPTION", roff(root.abstract)]
    for paragraph in root.discussion:
        out += [".PP", roff(paragraph)]
    if root.arguments:
        out.append(".SH ARGUMENTS")
        for head, text in root.arguments:
            out += [".TP", f"\\fI{roff(head)}\\fR", roff(text)]
    if root.options:
        out.append(".SH OPTIONS")
        out += man_options(root.options)
    if subs:
        out.append(".SH COMMANDS")
        for (command, text, is_default), sub in zip(root.subcommands, subs):
            out += [".SS " + roff(command) + (" (default)" if is_default else ""), roff(sub.abstract)]
            for paragraph in sub.discussion:
                out += [".PP", roff(paragraph)]
            out += [".PP", f"\\fB{roff(sub.usage)}\\fR"]
            if sub.arguments:
                out += [".PP", "Arguments:", ".RS"]
                for head, text in sub.arguments:
                    out += [".TP", f"\\fI{roff(head)}\\fR", roff(text)]
                out.append(".RE")
            options = [o for o in sub.options if o.names[-1] not in ("--help", "--version")]
            if options:
                out += [".PP", "Options:", ".RS"]
                out += man_options(options)
                out.append(".RE")
    out += [
        ".SH SEE ALSO",
        "\\fBswap\\-server\\fR(1), \\fBswap\\-lint\\fR(1); the project's README (Deploy).",
    ]
    return "\n".join(out) + "\n"


# --- completions ------------------------------------------------------------------------


def value_kind(option):
    """What a value completes to: a fixed list, directories or files."""
    if option.values:
        return ("list", option.values)
    if option.value and "dir" in option.value:
        return ("dirs", [])
    if option.value in ("model", "code"):
        return ("none", [])
    return ("files", [])


def bash(binary):
    root, subs = load(binary)
    name = root.name
    function = "_" + re.sub(r"\W", "_", name)
    commands = " ".join(c for c, _, _ in root.subcommands)
    default = next((c for c, _, d in root.subcommands if d), "")
    lines = [
        f"# bash completion for {name}; generated from `{name} --help` by scripts/help2docs.py",
        f"{function}() {{",
        '    local cur prev command i',
        '    cur="${COMP_WORDS[COMP_CWORD]}"',
        '    prev="${COMP_WORDS[COMP_CWORD-1]}"',
        f'    command="{default}"',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        f'            {"|".join(c for c, _, _ in root.subcommands)}) command="${{COMP_WORDS[i]}}"; break ;;',
        "        esac",
        "    done",
        '    case "$command:$prev" in',
    ]
    for (command, _, _), sub in zip(root.subcommands, subs):
        for option in sub.options:
            if not option.value:
                continue
            kind, values = value_kind(option)
            patterns = "|".join(f"{command}:{n}" for n in option.names)
            if kind == "list":
                action = f'COMPREPLY=($(compgen -W "{" ".join(values)}" -- "$cur"))'
            elif kind == "dirs":
                action = 'COMPREPLY=($(compgen -d -- "$cur"))'
            elif kind == "files":
                action = 'COMPREPLY=($(compgen -f -- "$cur"))'
            else:
                action = "COMPREPLY=()"
            lines.append(f"        {patterns}) {action}; return ;;")
    lines += ["    esac", '    case "$command" in']
    for (command, _, _), sub in zip(root.subcommands, subs):
        words = " ".join(n for o in sub.options for n in o.names)
        extra = f" {commands}" if command == default else ""
        lines.append(
            f'        {command}) if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "{words}" -- "$cur")); '
            f'else COMPREPLY=($(compgen -W "{extra.strip()}" -- "$cur") $(compgen -f -- "$cur")); fi ;;'
            if sub.arguments
            else f'        {command}) COMPREPLY=($(compgen -W "{words}" -- "$cur")) ;;'
        )
    lines += ["    esac", "}", f"complete -o filenames -F {function} {name}", ""]
    return "\n".join(lines)


def zsh_quote(text):
    return text.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def zsh(binary):
    root, subs = load(binary)
    name = root.name
    function = "_" + re.sub(r"\W", "_", name)
    lines = [
        f"#compdef {name}",
        f"# zsh completion for {name}; generated from `{name} --help` by scripts/help2docs.py",
        "",
    ]
    for (command, _, _), sub in zip(root.subcommands, subs):
        specs = []
        for option in sub.options:
            description = zsh_quote(option.help.split(" (values:")[0])
            kind, values = value_kind(option)
            if option.value:
                action = {"list": f"({' '.join(values)})", "dirs": "_files -/", "files": "_files", "none": " "}[kind]
                suffix = f":{option.value}:{action}"
            else:
                suffix = ""
            if len(option.names) > 1:
                specs.append(f"'({' '.join(option.names)})'{{{','.join(option.names)}}}'[{description}]{suffix}'")
            else:
                specs.append(f"'{option.names[0]}[{description}]{suffix}'")
        if sub.arguments:
            specs.append("'*:file:_files'")
        body = " \\\n".join(f"        {s}" for s in specs)
        lines += [f"{function}_{command}() {{", "    _arguments -s \\", body, "}", ""]
    commands = [f"'{c}:{zsh_quote(t)}'" for c, t, _ in root.subcommands]
    default = next((c for c, _, d in root.subcommands if d), "")
    lines += [
        f"{function}() {{",
        "    local -a commands",
        f"    commands=({' '.join(commands)})",
        "    local command i",
        "    for ((i = 2; i < CURRENT; i++)); do",
        f"        if (( ${{commands[(I)${{words[i]}}:*]}} )); then command=${{words[i]}}; break; fi",
        "    done",
        '    if [[ -z "$command" ]]; then',
        "        if (( CURRENT == 2 )) && [[ \"$words[CURRENT]\" != -* ]]; then",
        f"            _describe -t commands '{name} command' commands",
        "        fi",
        f"        command={default}",
        "    fi",
        f'    "{function}_$command"',
        "}",
        "",
        f'{function} "$@"',
        "",
    ]
    return "\n".join(lines)


def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(binary):
    root, subs = load(binary)
    name = root.name
    commands = " ".join(c for c, _, _ in root.subcommands)
    default = next((c for c, _, d in root.subcommands if d), "")
    lines = [f"# fish completion for {name}; generated from `{name} --help` by scripts/help2docs.py"]
    for command, text, _ in root.subcommands:
        lines.append(
            f"complete -c {name} -n 'not __fish_seen_subcommand_from {commands}' -a {command} -d {fish_quote(text)}"
        )
    for (command, _, _), sub in zip(root.subcommands, subs):
        condition = f"__fish_seen_subcommand_from {command}"
        if command == default:
            condition = f"{condition}; or not __fish_seen_subcommand_from {commands}"
        for option in sub.options:
            spec = " ".join(
                f"-l {n[2:]}" if n.startswith("--") else f"-s {n[1:]}" for n in option.names
            )
            kind, values = value_kind(option)
            if option.value:
                spec += {
                    "list": f" -x -a {fish_quote(' '.join(values))}",
                    "dirs": " -x -a '(__fish_complete_directories)'",
                    "files": " -r -F",
                    "none": " -x",
                }[kind]
            description = fish_quote(option.help.split(" (values:")[0])
            lines.append(f"complete -c {name} -n '{condition}' {spec} -d {description}")
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) == 3 and argv[1] == "man":
        sys.stdout.write(man(argv[2]))
    elif len(argv) == 4 and argv[1] == "completion" and argv[2] in ("bash", "zsh", "fish"):
        sys.stdout.write({"bash": bash, "zsh": zsh, "fish": fish}[argv[2]](argv[3]))
    else:
        sys.exit("usage: help2docs.py man BINARY | help2docs.py completion bash|zsh|fish BINARY")


if __name__ == "__main__":
    main(sys.argv)
