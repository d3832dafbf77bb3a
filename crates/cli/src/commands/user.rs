//! `pactbase user add NAME --role editor|admin`: prints a new token once; the store keeps
//! only the SHA-256 of its secret.

use pactbase_store::{Role, Store};

use crate::cli::UserCommand;
use crate::failure::{Failure, Result};
use crate::output::Output;

pub fn user(store: &mut Store, command: UserCommand, out: &Output) -> Result {
    match command {
        UserCommand::Add { name, role } => {
            if name.trim().is_empty() || name.chars().any(char::is_control) {
                return Err(Failure::Usage("give the user a name (printable, not empty)".into()));
            }
            let role = Role::parse(&role).ok_or_else(|| Failure::Usage(format!("unknown role `{role}`")))?;
            let (token, digest) = pactbase_web::issue_token();
            let (user, existed) = store.add_user(&name, role, &digest)?;
            let text = format!(
                "{} {} ({}). Their token, shown only this once:\n\n{token}\n\nSend it as `Authorization: Bearer TOKEN`.\n",
                if existed { "New token for" } else { "Added" },
                user.name,
                user.role.as_str()
            );
            let json = serde_json::json!({"name": user.name, "role": user.role, "token": token, "replaced": existed});
            let table = crate::output::Table {
                headers: vec!["name", "role", "token"],
                rows: vec![vec![user.name.clone(), user.role.as_str().to_owned(), token.clone()]],
            };
            out.document(&text, &table, &json)
        }
    }
}
