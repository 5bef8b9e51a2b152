//! "Did you mean": the declared name closest to a misspelt one, compared character by
//! character so that it works for Chinese names (义务劳动 → 义务投工).

/// Edit distance between two strings, counted in characters.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = substitute.min(delete).min(insert);
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.get(b.len()).copied().unwrap_or(usize::MAX)
}

/// The candidate closest to `name`, if it is close enough to be a likely typo: at most a third
/// of the characters differ, or one name contains the other.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted: Vec<char> = name.chars().collect();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name || candidate.is_empty() {
            continue;
        }
        let chars: Vec<char> = candidate.chars().collect();
        let d = distance(&wanted, &chars);
        let longest = wanted.len().max(chars.len());
        let contains = candidate.contains(name) || name.contains(candidate);
        let close = d * 3 <= longest || (contains && d <= 2);
        if close && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_chinese_name() {
        let names = ["义务投工", "公益捐款", "违法犯罪"];
        assert_eq!(closest("义务投劳", names), Some("义务投工".into()));
        assert_eq!(closest("捐款", names), Some("公益捐款".into()));
        assert_eq!(closest("违法", names), Some("违法犯罪".into()));
    }

    #[test]
    fn does_not_suggest_unrelated_names() {
        assert_eq!(closest("见义勇为", ["义务投工", "公益捐款"]), None);
        // Two-character names differing in one character are different words (县级, 省级).
        assert_eq!(closest("省级", ["县级", "市级"]), None);
        assert_eq!(closest("甲", std::iter::empty::<&str>()), None);
    }

    #[test]
    fn distance_counts_characters_not_bytes() {
        let a: Vec<char> = "义务投工".chars().collect();
        let b: Vec<char> = "义务投劳".chars().collect();
        assert_eq!(distance(&a, &b), 1);
    }
}
