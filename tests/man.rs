//! `accord man -o DIR`: one page per command, as git and cargo have them, each naming
//! every option of its command. (`.ci/run` lints every page with `mandoc -Tlint`.)

mod common;

use std::fs;

use common::{accord, exit_code, output, temp_dir};

/// The commands and their long options, as `accord help` and `accord CMD --help` list them.
fn commands_and_options() -> Vec<(String, Vec<String>)> {
    let help = |args: &[&str]| {
        let out = output(&mut accord(args));
        assert_eq!(exit_code(&out), 0, "{args:?}");
        String::from_utf8(out.stdout).expect("UTF-8 help")
    };
    let top = help(&["--help"]);
    let commands = top
        .split("Commands:")
        .nth(1)
        .expect("a Commands section")
        .lines()
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect::<Vec<_>>();
    commands
        .into_iter()
        .map(|command| {
            let options = help(&[&command, "--help"])
                .split_whitespace()
                .filter(|word| word.starts_with("--"))
                .map(|word| word.trim_end_matches([',', '.', ')', '`', '=']).to_owned())
                .filter(|word| word.len() > 2 && !word.contains('='))
                .collect();
            (command, options)
        })
        .collect()
}

#[test]
fn every_command_gets_a_page_naming_every_option() {
    let dir = temp_dir("man-pages");
    let out = output(&mut accord(&[
        "man".as_ref(),
        "-o".as_ref(),
        dir.as_os_str(),
    ]));
    assert_eq!(
        exit_code(&out),
        0,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let main = fs::read_to_string(dir.join("accord.1")).expect("accord.1");
    let commands = commands_and_options();
    assert!(commands.len() >= 10, "{commands:?}");
    for (command, options) in commands {
        let name = format!("accord-{command}");
        let page = fs::read_to_string(dir.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"));
        assert!(page.starts_with(".ie") && page.contains(&format!(".TH {name} 1")));
        assert!(
            main.contains(&name.replace('-', "\\-")),
            "accord.1 names {name}"
        );
        for option in options {
            let roff = option.replace('-', "\\-");
            assert!(page.contains(&roff), "{name}.1 does not document {option}");
        }
    }
}

#[test]
fn without_a_directory_the_main_page_goes_to_stdout() {
    let out = output(&mut accord(&["man"]));
    assert_eq!(exit_code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH accord 1"));
}
