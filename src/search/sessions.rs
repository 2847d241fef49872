//! A session filter as the runs of passages of that session. The build writes documents in
//! session order, so a session's passages are one run of doc ids: the filter seeks in
//! constant time, and a word intersected with it jumps to the run's start and stops at its
//! end instead of stepping through the session's postings beside its own.

use std::ops::Range;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

/// The passages of one session, as runs of doc ids per segment. Matches what `fallback` (the
/// session's term) matches; a segment it has no runs for is searched with `fallback`.
pub struct SessionRuns {
    runs: Arc<Vec<(SegmentId, Vec<Range<DocId>>)>>,
    fallback: Box<dyn Query>,
}

impl Clone for SessionRuns {
    fn clone(&self) -> SessionRuns {
        SessionRuns {
            runs: Arc::clone(&self.runs),
            fallback: self.fallback.box_clone(),
        }
    }
}

impl std::fmt::Debug for SessionRuns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRuns")
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl SessionRuns {
    pub(super) fn new(
        runs: Vec<(SegmentId, Vec<Range<DocId>>)>,
        fallback: Box<dyn Query>,
    ) -> SessionRuns {
        SessionRuns {
            runs: Arc::new(runs),
            fallback,
        }
    }
}

impl Query for SessionRuns {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SessionRunsWeight {
            runs: Arc::clone(&self.runs),
            fallback: self.fallback.weight(enable_scoring)?,
        }))
    }
}

struct SessionRunsWeight {
    runs: Arc<Vec<(SegmentId, Vec<Range<DocId>>)>>,
    fallback: Box<dyn Weight>,
}

impl Weight for SessionRunsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        match self.runs.iter().find(|(id, _)| *id == reader.segment_id()) {
            Some((_, runs)) => Ok(Box::new(ConstScorer::new(Runs::new(runs.clone()), boost))),
            None => self.fallback.scorer(reader, boost),
        }
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} is not of the session"
            )));
        }
        Ok(Explanation::new("passage of the session", scorer.score()))
    }
}

/// The docs of sorted, disjoint, non-empty runs.
struct Runs {
    runs: Vec<Range<DocId>>,
    /// The run `doc` is in (`runs.len()` once past the last).
    at: usize,
    doc: DocId,
}

impl Runs {
    fn new(runs: Vec<Range<DocId>>) -> Runs {
        let doc = runs.first().map_or(TERMINATED, |r| r.start);
        Runs { runs, at: 0, doc }
    }
}

impl DocSet for Runs {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.doc += 1;
        if self.doc >= self.runs[self.at].end {
            self.at += 1;
            self.doc = self.runs.get(self.at).map_or(TERMINATED, |r| r.start);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        while self.runs.get(self.at).is_some_and(|r| r.end <= target) {
            self.at += 1;
        }
        self.doc = self
            .runs
            .get(self.at)
            .map_or(TERMINATED, |r| r.start.max(target));
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.runs.iter().map(|r| r.end - r.start).sum()
    }

    /// Seeking costs nothing, so a word intersected with the session should lead unless the
    /// session is much the smaller: then its every passage is a seek in the word's postings.
    fn cost(&self) -> u64 {
        u64::from(self.size_hint()) * 16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_advance_and_seek_through_their_docs_only() {
        let mut runs = Runs::new(vec![2..4, 10..11, 20..23]);
        let mut docs = vec![runs.doc()];
        while runs.advance() != TERMINATED {
            docs.push(runs.doc());
        }
        assert_eq!(docs, [2, 3, 10, 20, 21, 22]);
        let mut runs = Runs::new(vec![2..4, 10..11, 20..23]);
        assert_eq!(runs.seek(3), 3);
        assert_eq!(runs.seek(5), 10);
        assert_eq!(runs.seek(21), 21);
        assert_eq!(runs.seek(23), TERMINATED);
        assert_eq!(Runs::new(Vec::new()).doc(), TERMINATED);
    }
}
